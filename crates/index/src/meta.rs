//! `actionplan-index.json`: the format version, which source documents are in the
//! index (path → SHA-256, so unchanged papers are skipped) and the glossary
//! entries learned from them. Written atomically after every tantivy commit.

use std::collections::BTreeMap;
use std::path::Path;

use actionplan_model::GlossaryEntry;
use serde::{Deserialize, Serialize};

use crate::{Error, Result, INDEX_FORMAT_VERSION, META_FILE};

/// Value of the `format` key, so a stray JSON file is not mistaken for an index.
const FORMAT_NAME: &str = "actionplan-index";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub format: String,
    pub version: u32,
    /// Source path (the re-indexing key) → what was indexed from it.
    pub documents: BTreeMap<String, DocumentRecord>,
    /// Glossary entries of every indexed document, deduplicated.
    pub glossary: Vec<GlossaryEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct DocumentRecord {
    pub id: String,
    pub sha256: String,
    pub council: Option<String>,
    pub date: Option<String>,
    pub entries: usize,
}

impl Meta {
    pub fn new() -> Meta {
        Meta {
            format: FORMAT_NAME.into(),
            version: INDEX_FORMAT_VERSION,
            documents: BTreeMap::new(),
            glossary: Vec::new(),
        }
    }

    /// Reads and checks the meta file of the index at `dir`.
    pub fn read(dir: &Path) -> Result<Meta> {
        let path = dir.join(META_FILE);
        let corrupt = |reason: String| Error::Corrupt {
            path: dir.to_path_buf(),
            reason,
        };
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| corrupt(format!("{META_FILE} is not valid JSON: {e}")))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT_NAME) {
            return Err(corrupt(format!(
                "{META_FILE} does not describe an actionplan index"
            )));
        }
        // The version is checked before the rest is read: another version may
        // have another shape.
        let found = value
            .get("version")
            .and_then(|v| v.as_u64())
            .ok_or_else(|| corrupt(format!("{META_FILE} has no version")))?;
        if found != u64::from(INDEX_FORMAT_VERSION) {
            return Err(Error::IncompatibleVersion {
                path: dir.to_path_buf(),
                found: u32::try_from(found).unwrap_or(u32::MAX),
                expected: INDEX_FORMAT_VERSION,
            });
        }
        serde_json::from_value(value).map_err(|e| corrupt(format!("{META_FILE}: {e}")))
    }

    /// Writes the meta file through a temporary file and a rename, so a crash
    /// leaves the previous version.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(META_FILE);
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        actionplan_files::write_atomic(&path, (text + "\n").as_bytes(), true).map_err(|e| {
            Error::Io {
                path: e.path,
                source: e.source,
            }
        })
    }

    pub fn add_glossary(&mut self, entries: &[GlossaryEntry]) {
        for e in entries {
            let known = self.glossary.iter().any(|g| {
                g.term.eq_ignore_ascii_case(&e.term)
                    && g.expansion.eq_ignore_ascii_case(&e.expansion)
            });
            if !known {
                self.glossary.push(e.clone());
            }
        }
    }
}
