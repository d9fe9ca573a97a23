//! The bad-input corpus (`tests/corpus/bad/` + `expected.json`): every file is refused with an
//! error naming that file and the expected field. The corpus is committed, throwaway test
//! material written once by `make corpus` (`examples/regenerate_corpus.rs`); tests only read it.

#[path = "corpus/support.rs"]
mod support;

use std::collections::BTreeMap;
use std::fs;

use atlas_core::artifacts::{self, read_file, Artifact, Severity};

use support::*;

#[derive(Debug, serde::Deserialize)]
struct Expectation {
    /// The file the finding names, when it is not the corpus file itself (ZIP entries).
    file: Option<String>,
    field: String,
    reason: String,
    /// Validate the (readable) identity against this MSP file of `good/` instead, alone and
    /// as a batch of the two files.
    msp: Option<String>,
}

fn manifest() -> BTreeMap<String, Expectation> {
    let path = corpus_dir().join("bad/expected.json");
    serde_json::from_slice(&fs::read(&path).expect("expected.json")).expect("manifest")
}

#[test]
fn every_bad_file_is_refused_naming_the_file_and_the_field() {
    let manifest = manifest();
    let dir = corpus_dir().join("bad");
    let mut seen = 0;
    let mut failures = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name == "expected.json" {
            continue;
        }
        let Some(exp) = manifest.get(&name) else {
            failures.push(format!("{name}: not in expected.json"));
            continue;
        };
        seen += 1;
        let bytes = fs::read(dir.join(&name)).unwrap();
        let findings = match (&exp.msp, read_file(&name, &bytes, corpus_now())) {
            (Some(msp_file), Ok(parsed)) => {
                let Some(Artifact::Identity(id)) = parsed.artifacts().next() else {
                    failures.push(format!("{name}: not an identity"));
                    continue;
                };
                let msp = read_file(msp_file, &good(msp_file), corpus_now()).unwrap();
                let Some(Artifact::Msp(definition)) = msp.artifacts().next() else {
                    panic!("{msp_file} is not an MSP")
                };
                // the pair alone, and given together in one batch
                let mut both =
                    artifacts::validate_identity_for_msp(&name, id, definition, corpus_now());
                both.extend(artifacts::check_batch(&[parsed, msp], corpus_now()));
                both
            }
            (Some(_), Err(f)) => {
                failures.push(format!("{name}: should read, got {f:?}"));
                continue;
            }
            (None, Ok(_)) => {
                failures.push(format!("{name}: accepted"));
                continue;
            }
            (None, Err(findings)) => findings,
        };
        let file = exp.file.clone().unwrap_or_else(|| name.clone());
        let hit = findings.iter().any(|f| {
            f.severity == Severity::Error
                && f.file == file
                && f.field == exp.field
                && f.reason.contains(&exp.reason)
        });
        if !hit {
            let got: Vec<String> = findings
                .iter()
                .map(|f| format!("{:?} {f}", f.severity))
                .collect();
            failures.push(format!(
                "{name}: expected error at {file}: {}: ..{}.., got {got:#?}",
                exp.field, exp.reason
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(seen >= 40, "the corpus has {seen} files");
    assert_eq!(
        seen,
        manifest.len(),
        "expected.json lists files that are missing"
    );
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    // a valid-looking JSON document just over the console UI's limit
    let mut big = br#"{"display_name": "big", "padding": ""#.to_vec();
    big.resize(artifacts::MAX_JSON_BYTES + 10, b'a');
    big.extend_from_slice(b"\"}");
    assert!(big.len() > 1_024_000);
    let err = read_file("big_msp.json", &big, corpus_now()).unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].file, "big_msp.json");
    assert_eq!(err[0].field, "$");
    assert!(
        err[0].reason.contains("at most 1024000 bytes"),
        "{}",
        err[0]
    );

    let mut zip = b"PK\x03\x04".to_vec();
    zip.resize(artifacts::MAX_ZIP_BYTES + 1, 0);
    let err = read_file("big.zip", &zip, corpus_now()).unwrap_err();
    assert!(
        err[0]
            .reason
            .contains("bulk ZIP files of at most 1048576 bytes"),
        "{}",
        err[0]
    );
}
