//! The layers go one way: a module imports only modules in layers below its
//! own, or siblings in its own layer that do not import it back. This test
//! reads `src/` and lists every `crate::` path that points up (or closes a
//! circle among siblings), so a new upward import fails `cargo test`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules, bottom layer first; modules on one line are siblings.
const LAYERS: &[&[&str]] = &[
    &["domain", "clock", "display"],
    &["error"],
    &["fsx"],
    &["datadir", "config", "store"],
    &["state"],
    &["rules"],
    &["desk"],
    &["seam"],
    &["server", "export", "emergency", "group"],
    &["doctor", "demo"],
    &["tui"],
    &["cli"],
];

/// The crate root and this test import everything; the binary uses `dutydesk::`.
const ROOTS: &[&str] = &["lib", "main", "layer_test"];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// One `crate::` path found in a file: where, and the top-level module it names.
struct Import {
    line: usize,
    target: String,
    path: String,
}

/// The module path of a file under `src/`: `store/mod.rs` is `[store]`,
/// `desk/refold.rs` is `[desk, refold]`.
fn module_of(file: &str) -> Vec<String> {
    let trimmed = file.trim_end_matches(".rs");
    let mut parts: Vec<String> = trimmed.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Drops `//` comments (doc comments name modules without importing them).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first segment of each path in a `{a::b, c, d::{e, f}}` group that starts at `s`.
fn group_heads(s: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (i, c) in s.char_indices() {
        match c {
            '{' => {
                depth += 1;
                start = depth == 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => start = true,
            c if start && depth == 1 && (c.is_ascii_alphabetic() || c == '_') => {
                heads.push(ident_at(&s[i..]).to_string());
                start = false;
            }
            _ => {}
        }
    }
    heads
}

/// Every top-level module a file's code names through `crate::` or `super::`.
fn imports_of(file: &str, text: &str) -> Vec<Import> {
    let code = code_of(text);
    let here = module_of(file);
    let mut found = Vec::new();
    let line_at = |at: usize| code[..at].matches('\n').count() + 1;
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        let heads = if rest.starts_with('{') {
            group_heads(rest)
        } else {
            vec![ident_at(rest).to_string()]
        };
        for target in heads.into_iter().filter(|h| !h.is_empty()) {
            found.push(Import {
                line: line_at(at),
                path: format!("crate::{target}"),
                target,
            });
        }
    }
    // `super::` climbs from the file's own module; enough of them reach the root.
    for (at, _) in code.match_indices("super::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut rest = &code[at..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            ups += 1;
            rest = r;
        }
        // A test module inside a file is one level below the file's module.
        let inner = usize::from(is_in_test_module(&code[..at]));
        if ups >= here.len() + inner {
            let target = ident_at(rest).to_string();
            found.push(Import {
                line: line_at(at),
                path: format!("{}{target}", "super::".repeat(ups)),
                target,
            });
        }
    }
    found
}

/// Whether `before` ends inside a `mod tests {` (rough: one per file, at the end).
fn is_in_test_module(before: &str) -> bool {
    before.contains("mod tests {")
}

/// What is wrong with `files` (paths under `src/` and their text): each import
/// that points up the layers, each module with no layer, and each circle among
/// siblings. Empty when the layers go one way.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let mut wrong = Vec::new();
    let reexported = root_reexports(files);
    let mut sibling_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut where_from: BTreeMap<(String, String), String> = BTreeMap::new();
    for (file, text) in files {
        let Some(source) = module_of(file).into_iter().next() else {
            continue;
        };
        if ROOTS.contains(&source.as_str()) {
            continue;
        }
        let Some(from) = rank(&source) else {
            wrong.push(format!(
                "{file}: module `{source}` has no layer; add it to LAYERS in src/layer_test.rs"
            ));
            continue;
        };
        for mut imp in imports_of(file, text) {
            // `crate::DeskError` is the root's re-export of `crate::error::DeskError`.
            if let Some(module) = reexported.get(&imp.target) {
                imp.target = module.clone();
            }
            if imp.target == source || imp.target == "self" {
                continue;
            }
            let Some(to) = rank(&imp.target) else {
                wrong.push(format!(
                    "src/{file}:{}: {} names a module with no layer",
                    imp.line, imp.path
                ));
                continue;
            };
            if to > from {
                wrong.push(format!(
                    "src/{file}:{}: {} ({source} may not import {}, a layer above it)",
                    imp.line, imp.path, imp.target
                ));
            } else if to == from {
                sibling_edges
                    .entry(source.clone())
                    .or_default()
                    .insert(imp.target.clone());
                where_from
                    .entry((source.clone(), imp.target.clone()))
                    .or_insert_with(|| format!("src/{file}:{}: {}", imp.line, imp.path));
            }
        }
    }
    for circle in circles(&sibling_edges) {
        let at: Vec<String> = circle
            .windows(2)
            .filter_map(|w| where_from.get(&(w[0].clone(), w[1].clone())).cloned())
            .collect();
        wrong.push(format!(
            "siblings import each other in a circle ({}): {}",
            circle.join(" -> "),
            at.join("; ")
        ));
    }
    wrong
}

/// The module behind each name `lib.rs` re-exports (`pub use desk::{Committed, Desk};`).
fn root_reexports(files: &[(String, String)]) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    let lib = files.iter().find(|(f, _)| f == "lib.rs");
    for line in lib.map(|(_, t)| code_of(t)).unwrap_or_default().lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module = ident_at(rest).to_string();
        let tail = rest[module.len()..].trim_start_matches("::");
        let items = if tail.starts_with('{') {
            group_heads(tail)
        } else {
            vec![tail
                .trim_end_matches(';')
                .rsplit("::")
                .next()
                .unwrap_or("")
                .to_string()]
        };
        for item in items {
            names.insert(item, module.clone());
        }
    }
    names
}

/// Each circle in `edges`, as the path from a module back to itself.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn walk(
        at: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        for next in edges.get(at).into_iter().flatten() {
            if let Some(i) = path.iter().position(|p| p == next) {
                // Reported once, from its smallest module.
                if path[i..].iter().min() == Some(next) && i == 0 {
                    let mut circle = path[i..].to_vec();
                    circle.push(next.clone());
                    found.push(circle);
                }
            } else {
                path.push(next.clone());
                walk(next, edges, path, found);
                path.pop();
            }
        }
    }
    let mut found = Vec::new();
    for start in edges.keys() {
        walk(start, edges, &mut vec![start.clone()], &mut found);
    }
    found
}

fn read_tree(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            out.push((rel.to_string_lossy().replace('\\', "/"), text));
        }
    }
}

#[test]
fn no_module_imports_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&src, &src, &mut files);
    assert!(
        files.len() > 50,
        "read {} files from {}",
        files.len(),
        src.display()
    );
    let wrong = violations(&files);
    assert!(
        wrong.is_empty(),
        "imports that point up the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_catches_a_planted_upward_import() {
    let file = |path: &str, text: &str| (path.to_string(), text.to_string());
    let files = vec![
        file(
            "store/mod.rs",
            "//! see `crate::tui` (a comment, no import)\nuse crate::error::DeskError;\nuse crate::tui::App;\n",
        ),
        file(
            "rules/tickets.rs",
            "fn x() {}\n#[cfg(test)]\nmod tests {\n    use crate::{domain::Event, desk::Desk};\n}\n",
        ),
        file("desk.rs", "use super::cli::Cli;\n"),
        file("state/runs.rs", "use super::Run;\n"),
        file("server/a.rs", "use crate::export::x;\n"),
        file("export/b.rs", "use crate::server::y;\n"),
        file("export/c.rs", "use crate::emergency::z;\n"),
        file("newthing/mod.rs", "\n"),
        file("lib.rs", "pub use seam::{DeskApi, Live};\n"),
        file("state/mod.rs", "fn f(_: &dyn crate::DeskApi) {}\n"),
    ];
    let wrong = violations(&files);
    let has = |needle: &str| wrong.iter().any(|w| w.contains(needle));
    assert!(has("src/store/mod.rs:3: crate::tui"), "{wrong:#?}");
    assert!(!has("store/mod.rs:1"), "a comment is no import: {wrong:#?}");
    assert!(has("src/rules/tickets.rs:4: crate::desk"), "{wrong:#?}");
    assert!(!has("crate::domain"), "{wrong:#?}");
    assert!(has("src/desk.rs:1: super::cli"), "{wrong:#?}");
    assert!(!has("state/runs.rs"), "{wrong:#?}");
    assert!(has("export -> server -> export"), "{wrong:#?}");
    assert!(
        !has("emergency ->"),
        "one way among siblings is fine: {wrong:#?}"
    );
    assert!(has("module `newthing` has no layer"), "{wrong:#?}");
    assert!(
        has("src/state/mod.rs:1: crate::DeskApi (state may not import seam"),
        "{wrong:#?}"
    );
    assert_eq!(wrong.len(), 6, "{wrong:#?}");
}
