//! Disk full, for real: the data directory lives on a small tmpfs this test mounts
//! itself (root only; elsewhere it says why it skipped). A command submitted while
//! the disk is full is refused with exit 8 and a message saying what to do, the log
//! is unchanged, and once space is freed the next command succeeds through the
//! same owner process, without restarting anything. `.ci/run` runs this test by
//! name so CI shows that it ran.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::bin;
use crate::support::owner::stop_owner;

/// A tmpfs mounted on a fresh directory, unmounted (lazily) when dropped.
struct Tmpfs {
    _dir: tempfile::TempDir,
    mount: PathBuf,
}

impl Tmpfs {
    fn mount(size: &str) -> Result<Tmpfs, String> {
        if unsafe { libc::geteuid() } != 0 {
            return Err("not running as root, so a tmpfs cannot be mounted".into());
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mount = dir.path().join("fs");
        std::fs::create_dir(&mount).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&mount)
            .output()
            .map_err(|e| format!("could not run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs is not allowed here: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs { _dir: dir, mount })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.mount).status();
    }
}

fn dd(data: &Path, args: &[&str]) -> std::process::Output {
    bin::run(
        bin::dutydesk(data)
            .args(args)
            .env("DUTYDESK_OPERATOR", "王军")
            .env("LANG", "en_US.UTF-8"),
    )
}

fn call(data: &Path, summary: &str) -> std::process::Output {
    dd(
        data,
        &[
            "call",
            "--unit",
            "1-0101",
            "--kind",
            "repair",
            "--summary",
            summary,
        ],
    )
}

fn log_lines(data: &Path) -> Vec<String> {
    let out = dd(data, &["log", "--json"]);
    assert!(out.status.success(), "log --json failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Writes into `path` until the file system says it is full.
fn fill(path: &Path) {
    let mut f = std::fs::File::create(path).expect("create the filler");
    let chunk = vec![0x5au8; 64 << 10];
    loop {
        if f.write_all(&chunk).is_err() {
            break;
        }
    }
    // The last partial chunk may still be in flight; whatever fits is written.
    let _ = f.sync_all();
}

#[test]
fn a_full_disk_refuses_the_command_and_service_resumes_when_space_returns() {
    let fs = match Tmpfs::mount("8m") {
        Ok(fs) => fs,
        Err(why) => {
            println!("SKIPPED disk_full: {why}");
            return;
        }
    };
    let data = fs.mount.join("data");
    std::fs::create_dir(&data).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/site.toml");
    std::fs::copy(fixture, data.join("site.toml")).unwrap();

    for i in 0..3 {
        let out = call(&data, &format!("before the disk filled {i}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let owner = dutydesk::server::owner::owner_pid(&data).expect("an owner is running");
    let before = log_lines(&data);

    let filler = fs.mount.join("filler.bin");
    fill(&filler);
    let out = call(&data, "REFUSED while the disk was full");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(8), "stderr: {stderr}");
    assert!(stderr.contains("full"), "says the disk is full: {stderr}");
    assert!(stderr.contains("Nothing was recorded"), "{stderr}");
    assert!(
        stderr.contains("Free some space"),
        "says what to do: {stderr}"
    );
    assert!(out.stdout.is_empty(), "no id printed for a refused command");
    assert_eq!(log_lines(&data), before, "the log is unchanged");

    // Doctor diagnoses the full disk instead of dying of its own probe.
    let doc = dd(&data, &["doctor"]);
    let text = String::from_utf8_lossy(&doc.stdout);
    assert_eq!(
        doc.status.code(),
        Some(1),
        "problems found, not exit 8: {text}"
    );
    assert!(
        text.contains("[FAIL] free disk space") && text.contains("is full"),
        "names the full disk: {text}"
    );
    assert!(text.contains("[skip] durable append"), "{text}");
    assert!(text.contains("[ ok ] hash chain"), "{text}");
    assert_eq!(log_lines(&data), before, "doctor wrote nothing");

    std::fs::remove_file(&filler).unwrap();
    let out = call(&data, "after space returned");
    assert!(
        out.status.success(),
        "the next command succeeds once space returns: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        dutydesk::server::owner::owner_pid(&data),
        Some(owner),
        "the same owner served it: nothing was restarted"
    );

    let after = log_lines(&data);
    assert!(after.len() > before.len());
    assert_eq!(&after[..before.len()], &before[..]);
    let all = after.join("\n");
    assert!(
        !all.contains("REFUSED"),
        "the refused command never shows up"
    );
    assert!(all.contains("after space returned"));

    // Reopened from its files alone, the store still verifies end to end.
    stop_owner(&data);
    let out = dd(&data, &["doctor", "--json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("doctor --json prints JSON");
    assert_eq!(report["chain_ok"], true, "{report}");
    assert_eq!(report["records"].as_u64(), Some(after.len() as u64));
    let all = log_lines(&data).join("\n");
    assert!(!all.contains("REFUSED"));
    stop_owner(&data);
    println!(
        "disk-full drill on an 8 MiB tmpfs: refused with exit 8, log unchanged, \
         resumed through the same owner (pid {owner}) once space returned; chain verified"
    );
}
