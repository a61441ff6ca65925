//! `export --redact`: no full phone number and no caller's name leaves the site,
//! whatever the selection, in CSV and in the report; a redacted jsonl is refused.

use std::path::Path;
use std::process::Output;

use crate::support::bin::{self, ok};

fn dutydesk(data: &Path, args: &[&str]) -> Output {
    bin::run(
        bin::dutydesk(data)
            .args(["--operator", "王军"])
            .args(args)
            .env("DUTYDESK_NOW", "2026-11-25T12:00:00Z")
            .env("TZ", "Asia/Shanghai"),
    )
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[test]
fn redacted_exports_hold_no_full_phone_and_no_caller_name() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let calls: [(&str, &str, &str, &str); 3] = [
        (
            "1-1203",
            "陈建国",
            "13812345678",
            "卫生间漏水, call back on 139 8765 4321",
        ),
        (
            "2-0301",
            "Li Xiaoming",
            "021-62345678",
            "噪音投诉 Li Xiaoming 说楼上很吵",
        ),
        ("3-0502", "赵敏", "18600001234", "门禁卡丢失 2026-11-25 报"),
    ];
    for (unit, name, phone, summary) in calls {
        ok(dutydesk(
            data,
            &[
                "call",
                "--unit",
                unit,
                "--kind",
                "complaint",
                "--summary",
                summary,
                "--name",
                name,
                "--phone",
                phone,
            ],
        ));
    }
    ok(dutydesk(
        data,
        &["note", "C001", "陈建国 gave a second number 13511112222"],
    ));
    ok(dutydesk(
        data,
        &[
            "dispatch",
            "C002",
            "--to",
            "security",
            "--note",
            "guard tel 13322223333",
        ],
    ));

    // Every phone in the store: the phone fields and the numbers typed as text.
    let all: serde_json::Value =
        serde_json::from_str(&ok(dutydesk(data, &["tickets", "--all", "--json"]))).unwrap();
    let mut phones: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["phone"].as_str().map(digits))
        .collect();
    phones.extend(["13987654321", "13511112222", "13322223333"].map(String::from));
    assert_eq!(phones.len(), 6);

    let mut outputs = Vec::new();
    for shift in ["all", "current", "1"] {
        for format in ["csv", "md"] {
            let out = dir.path().join(format!("r-{shift}.{format}"));
            ok(dutydesk(
                data,
                &[
                    "export",
                    "--shift",
                    shift,
                    "--format",
                    format,
                    "--out",
                    out.to_str().unwrap(),
                    "--redact",
                ],
            ));
            outputs.push((out.clone(), std::fs::read_to_string(&out).unwrap()));
        }
    }
    for (path, text) in &outputs {
        // Separators removed, so "139 8765 4321" would be caught too.
        let squeezed: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        for p in &phones {
            assert!(
                !squeezed.contains(p.as_str()),
                "{} shows {p}:\n{text}",
                path.display()
            );
        }
        for name in ["陈建国", "Li Xiaoming", "Xiaoming", "赵敏"] {
            assert!(!text.contains(name), "{} shows {name}", path.display());
        }
        if path.extension().is_some_and(|e| e == "csv") {
            assert!(text.contains("138****5678"), "{}", path.display());
            assert!(text.contains("陈**"), "{}", path.display());
        }
        assert!(
            text.contains("2026-11-25 报"),
            "dates are not phones: {}",
            path.display()
        );
    }

    // Unredacted, the same export does carry them (the check above means something).
    let plain = dir.path().join("plain.csv");
    ok(dutydesk(
        data,
        &[
            "export",
            "--shift",
            "all",
            "--format",
            "csv",
            "--out",
            plain.to_str().unwrap(),
        ],
    ));
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(text.contains("13812345678") && text.contains("陈建国"));

    // A redacted jsonl could not verify: refused, nothing written.
    let j = dir.path().join("r.jsonl");
    let out = dutydesk(
        data,
        &[
            "export",
            "--format",
            "jsonl",
            "--out",
            j.to_str().unwrap(),
            "--redact",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--format csv") && err.contains("verify"),
        "{err}"
    );
    assert!(!j.exists());
}
