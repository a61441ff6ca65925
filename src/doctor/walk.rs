//! One walk over the whole log through the seam: checks sequence and links, and
//! folds the records, so the state the desk serves and the checkpoint on disk
//! can both be compared with what the log itself says.

use crate::error::DeskError;
use crate::seam::DeskApi;
use crate::state::checkpoint::Checkpoint;
use crate::state::diff::differences;
use crate::state::State;
use crate::store::{Hash, GENESIS};

/// How many differences a finding names.
const NAMED: usize = 5;

#[derive(Debug, Default)]
pub struct Walk {
    /// Records that verified, 1..=records.
    pub records: u64,
    /// Where the chain broke, and why.
    pub problem: Option<String>,
    /// What the desk serves, against the log's own fold at the same record
    /// (None: not compared, the walk ended before it).
    pub served: Option<Vec<String>>,
    /// The checkpoint file against the log's fold at the record it names.
    pub checkpoint: Option<Seen>,
}

/// What the checkpoint file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    Matches {
        seq: u64,
    },
    /// Its record is not in the log with that hash: it is ignored on open.
    Stale {
        seq: u64,
    },
    Differs {
        seq: u64,
        what: Vec<String>,
    },
}

/// Walks every record from 1, folding as it goes. `served` is the desk's state
/// (from its snapshot), `checkpoint` the file's content if it has any.
pub fn walk(
    api: &mut dyn DeskApi,
    served: Option<&State>,
    checkpoint: Option<Checkpoint>,
) -> Result<Walk, DeskError> {
    let mut out = Walk::default();
    let mut fold = State::new();
    let mut prev: Hash = GENESIS;
    let mut from = 1;
    let compare = |fold: &State, out: &mut Walk, last: Hash| {
        if let Some(s) = served.filter(|s| s.seq == fold.seq) {
            out.served = Some(differences(fold, s, NAMED));
        }
        if let Some(cp) = checkpoint.as_ref().filter(|c| c.seq == fold.seq) {
            out.checkpoint = Some(if cp.hash != last {
                Seen::Stale { seq: cp.seq }
            } else {
                match differences(fold, &cp.state, NAMED) {
                    what if what.is_empty() => Seen::Matches { seq: cp.seq },
                    what => Seen::Differs { seq: cp.seq, what },
                }
            });
        }
    };
    compare(&fold, &mut out, GENESIS);
    loop {
        let batch = match api.records(from, 65_536) {
            Ok(b) => b,
            Err(DeskError::Damaged(why)) => {
                out.problem = Some(why);
                break;
            }
            Err(e) => return Err(e),
        };
        let Some(last) = batch.last() else { break };
        from = last.body.seq + 1;
        for r in &batch {
            if r.body.seq != out.records + 1 {
                out.problem = Some(format!("record {} is missing", out.records + 1));
                return Ok(out);
            }
            if r.prev_hash != prev {
                out.problem = Some(format!(
                    "record {} does not link to record {}",
                    r.body.seq, out.records
                ));
                return Ok(out);
            }
            prev = r.hash;
            out.records += 1;
            fold.apply(r);
            compare(&fold, &mut out, r.hash);
        }
    }
    if let Some(cp) = &checkpoint {
        if out.checkpoint.is_none() && out.problem.is_none() {
            out.checkpoint = Some(Seen::Stale { seq: cp.seq });
        }
    }
    Ok(out)
}
