//! `doctor` names the owner process: the pid in its lock file, and whether it runs.

use crate::support::owner::end_owner;
use crate::support::site::Site;

#[test]
fn doctor_names_the_running_owner_by_pid() {
    let site = Site::new();
    site.call("1-0101", "repair");
    let out = site.ok(&["doctor", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out).expect("doctor --json is JSON");
    let pid = dutydesk::server::owner::owner_pid(site.path()).expect("an owner runs");
    let owner = report["owner"].as_str().unwrap_or_default();
    assert!(owner.contains(&format!("pid {pid}")), "{owner}");
    assert!(owner.contains("running"), "{owner}");
    let text = site.ok(&["doctor"]);
    assert!(
        text.contains(&format!("owner process: pid {pid}")),
        "{text}"
    );
    assert!(report["append_p50_us"].as_u64().is_some());
    assert!(report["fsync_p50_us"].as_u64().is_some());
    end_owner(site.path());
}
