//! How much a durable append costs against the disk's own fsync, measured side by
//! side in the same run on the same directory. Writes only into a scratch folder
//! that it removes: the operators' log is never touched.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use crate::domain::{Event, Kind, Priority, TicketId};
use crate::error::DeskError;
use crate::store::{Body, Store};

#[derive(Debug, Clone, Copy)]
pub struct ProbeResult {
    pub fsync_p50_us: u64,
    pub append_p50_us: u64,
    pub samples: usize,
}

fn body() -> Body {
    Body {
        seq: 0,
        at_us: 0,
        operator: "doctor".into(),
        unix_user: "doctor".into(),
        shift: 1,
        request: None,
        event: Event::TicketOpened {
            id: TicketId("R001".into()),
            kind: Kind::Repair,
            priority: Priority(2),
            unit: "1-1203".into(),
            caller: Some("陈建国".into()),
            phone: Some("13812345678".into()),
            summary: "卫生间天花板漏水 probe".into(),
            related: None,
        },
    }
}

impl ProbeResult {
    /// An append's cost in fsyncs.
    pub fn ratio(&self) -> f64 {
        if self.fsync_p50_us == 0 {
            0.0
        } else {
            self.append_p50_us as f64 / self.fsync_p50_us as f64
        }
    }
}

pub fn p50(mut v: Vec<u64>) -> u64 {
    if v.is_empty() {
        return 0;
    }
    v.sort_unstable();
    v[v.len() / 2]
}

/// Measures `samples` durable appends to a scratch store and as many
/// `write + fsync` of the same number of bytes, interleaved so both see the same disk.
pub fn measure(data_dir: &Path, samples: usize) -> Result<ProbeResult, DeskError> {
    let scratch = data_dir.join(format!(".doctor-probe-{}", std::process::id()));
    let result = run(&scratch, samples);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn run(scratch: &Path, samples: usize) -> Result<ProbeResult, DeskError> {
    crate::fsx::perms::create_dir_all(scratch)
        .map_err(|e| DeskError::storage(&format!("create {}", scratch.display()), e))?;
    let mut store = Store::open(&scratch.join("store"))?;
    let (_, bytes) = crate::store::Record::seal(body(), crate::store::GENESIS)?;
    let mut raw = std::fs::File::create(scratch.join("fsync.bin"))
        .map_err(|e| DeskError::storage("create the probe file", e))?;
    // One of each first, so neither pays for file creation in the figures.
    store.append(vec![body()])?;
    raw.write_all(&bytes)
        .and_then(|_| raw.sync_all())
        .map_err(|e| DeskError::storage("write the probe file", e))?;
    let mut appends = Vec::with_capacity(samples);
    let mut fsyncs = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        store.append(vec![body()])?;
        appends.push(t.elapsed().as_micros() as u64);
        let t = Instant::now();
        raw.write_all(&bytes)
            .and_then(|_| raw.sync_all())
            .map_err(|e| DeskError::storage("write the probe file", e))?;
        fsyncs.push(t.elapsed().as_micros() as u64);
    }
    Ok(ProbeResult {
        fsync_p50_us: p50(fsyncs),
        append_p50_us: p50(appends),
        samples,
    })
}
