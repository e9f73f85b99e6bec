//! Opening, creating and writing an index directory: the meta file, the tantivy
//! index, re-indexing by source path and skipping unchanged documents.

use std::path::{Path, PathBuf};

use actionplan_model::Document;
use tantivy::schema::{Facet, TantivyDocument};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use crate::hit::{self, Entry};
use crate::meta::{DocumentRecord, Meta};
use crate::schema::{self, Fields};
use crate::vocabulary::Vocabulary;
use crate::{analysis, Error, Result, META_FILE};

/// Memory for the tantivy writer; enough for large batches, small for a laptop.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// What happened to one document handed to [`SearchIndex::add_document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    /// First time this source path was indexed.
    Added { entries: usize },
    /// The path was indexed before with other content; its old entries were removed.
    Replaced { entries: usize, previous: usize },
    /// Same path and same SHA-256 as already indexed: nothing done.
    Unchanged,
}

/// Counts describing an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStats {
    /// Source documents indexed.
    pub documents: usize,
    /// Search entries (recommendations, actions, steps).
    pub entries: u64,
}

/// An open index directory.
pub struct SearchIndex {
    pub(crate) dir: PathBuf,
    pub(crate) index: Index,
    pub(crate) fields: Fields,
    pub(crate) reader: IndexReader,
    pub(crate) vocabulary: Vocabulary,
    meta: Meta,
    writer: Option<IndexWriter>,
    threads: usize,
    dirty: bool,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens an existing index for searching (and writing).
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        match std::fs::metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Missing { path: dir.into() })
            }
            Err(source) => {
                return Err(Error::Io {
                    path: dir.into(),
                    source,
                })
            }
            Ok(m) if !m.is_dir() => return Err(Error::NotAnIndex { path: dir.into() }),
            Ok(_) => {}
        }
        if !dir.join(META_FILE).exists() {
            if is_empty_dir(dir)? {
                return Err(Error::Missing { path: dir.into() });
            }
            if dir.join("meta.json").exists() {
                return Err(Error::Corrupt {
                    path: dir.into(),
                    reason: format!("{META_FILE} is missing"),
                });
            }
            return Err(Error::NotAnIndex { path: dir.into() });
        }
        let meta = Meta::read(dir)?;
        // Opening decodes segment metadata; damaged files can make tantivy panic.
        std::panic::catch_unwind(|| {
            // Any failure to read files that our meta file vouches for means damage.
            let as_corrupt = |e| match Error::tantivy(dir, e) {
                Error::Tantivy { path, source } => Error::Corrupt {
                    path,
                    reason: source.to_string(),
                },
                other => other,
            };
            let index = Index::open_in_dir(dir).map_err(as_corrupt)?;
            Self::from_parts(dir, index, meta).map_err(|e| match e {
                Error::Tantivy { path, source } => Error::Corrupt {
                    path,
                    reason: source.to_string(),
                },
                other => other,
            })
        })
        .unwrap_or_else(|panic| {
            Err(Error::Corrupt {
                path: dir.into(),
                reason: crate::error::panic_message(&*panic),
            })
        })
    }

    /// Opens the index at `dir`, creating it when the directory is missing or empty.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex> {
        let exists = dir.exists();
        if !exists || (dir.is_dir() && is_empty_dir(dir)?) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.into(),
                source,
            })?;
            let index =
                Index::create_in_dir(dir, schema::build()).map_err(|e| Error::tantivy(dir, e))?;
            let meta = Meta::new();
            meta.write(dir)?;
            return Self::from_parts(dir, index, meta);
        }
        Self::open(dir)
    }

    /// Deletes the index at `dir` (only if it looks like an index, of any version)
    /// and creates an empty one.
    pub fn recreate(dir: &Path) -> Result<SearchIndex> {
        if dir.exists() {
            let looks_like_index = dir.join(META_FILE).exists() || dir.join("meta.json").exists();
            if !dir.is_dir() || !(looks_like_index || is_empty_dir(dir)?) {
                return Err(Error::NotAnIndex { path: dir.into() });
            }
            std::fs::remove_dir_all(dir).map_err(|source| Error::Io {
                path: dir.into(),
                source,
            })?;
        }
        Self::open_or_create(dir)
    }

    fn from_parts(dir: &Path, index: Index, meta: Meta) -> Result<SearchIndex> {
        analysis::register(&index);
        let fields = schema::fields(&index.schema()).map_err(|reason| Error::Corrupt {
            path: dir.into(),
            reason,
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::tantivy(dir, e))?;
        let mut vocabulary = Vocabulary::builtin();
        vocabulary.extend_with_glossary(&meta.glossary);
        Ok(SearchIndex {
            dir: dir.into(),
            index,
            fields,
            reader,
            vocabulary,
            meta,
            writer: None,
            threads: 1,
            dirty: false,
        })
    }

    /// Checks every segment file against its checksum. tantivy only checks file
    /// footers when it opens an index; a file damaged in the middle can make it
    /// answer wrongly, panic, or abort on a huge allocation while decoding. Costs
    /// one read of the index (tens of milliseconds for 100,000 actions).
    pub fn verify(&self) -> Result<()> {
        let damaged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.index.validate_checksum()
        }))
        .map_err(|panic| Error::Corrupt {
            path: self.dir.clone(),
            reason: crate::error::panic_message(&*panic),
        })?
        .map_err(|e| Error::tantivy(&self.dir, e))?;
        if damaged.is_empty() {
            return Ok(());
        }
        let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
        names.sort();
        Err(Error::Corrupt {
            path: self.dir.clone(),
            reason: format!("checksum mismatch in {}", names.join(", ")),
        })
    }

    /// Indexing threads used by the writer (default 1: the tool shares machines).
    pub fn set_writer_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// The directory of this index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Documents and entries currently searchable.
    pub fn stats(&self) -> IndexStats {
        IndexStats {
            documents: self.meta.documents.len(),
            entries: self.reader.searcher().num_docs(),
        }
    }

    /// True when `source_path` is indexed with exactly this content hash.
    pub fn is_unchanged(&self, source_path: &str, sha256: &str) -> bool {
        self.meta
            .documents
            .get(&key(source_path))
            .is_some_and(|d| d.sha256 == sha256)
    }

    /// Adds a document's recommendations, actions and steps, replacing whatever was
    /// indexed from the same source path. Visible to searches after [`Self::commit`].
    pub fn add_document(&mut self, doc: &Document) -> Result<AddOutcome> {
        let path = key(&doc.source.path);
        let previous = self.meta.documents.get(&path).cloned();
        if previous
            .as_ref()
            .is_some_and(|p| p.sha256 == doc.source.sha256)
        {
            return Ok(AddOutcome::Unchanged);
        }
        let fields = self.fields;
        let entries = hit::entries(doc, &path);
        let count = entries.len();
        let mut docs = Vec::with_capacity(count);
        for e in &entries {
            docs.push(to_tantivy(&fields, &path, e).map_err(|e| Error::Io {
                path: self.dir.clone(),
                source: e,
            })?);
        }
        let dir = self.dir.clone();
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_text(fields.path, &path));
        for d in docs {
            writer
                .add_document(d)
                .map_err(|e| Error::tantivy(&dir, e))?;
        }
        self.meta.documents.insert(
            path,
            DocumentRecord {
                id: doc.id.clone(),
                sha256: doc.source.sha256.clone(),
                council: doc.council.clone(),
                date: doc.date.clone(),
                entries: count,
            },
        );
        self.meta.add_glossary(&doc.glossary);
        self.dirty = true;
        Ok(match previous {
            None => AddOutcome::Added { entries: count },
            Some(p) => AddOutcome::Replaced {
                entries: count,
                previous: p.entries,
            },
        })
    }

    /// Removes everything indexed from `source_path`; returns whether it was indexed.
    pub fn remove_document(&mut self, source_path: &str) -> Result<bool> {
        let path = key(source_path);
        if self.meta.documents.remove(&path).is_none() {
            return Ok(false);
        }
        let field = self.fields.path;
        self.writer()?
            .delete_term(Term::from_field_text(field, &path));
        self.dirty = true;
        Ok(true)
    }

    /// Takes the index's writer lock now, rather than at the first change, so a
    /// second `index` run on the same directory is refused at once
    /// ([`Error::Locked`]) instead of racing this one (the last meta file written
    /// would win and drop the other run's papers).
    pub fn begin_writing(&mut self) -> Result<()> {
        self.writer().map(drop)
    }

    /// Makes every change durable and visible, then records it in the meta file.
    pub fn commit(&mut self) -> Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let dir = self.dir.clone();
        if let Some(w) = self.writer.as_mut() {
            w.commit().map_err(|e| Error::tantivy(&dir, e))?;
        }
        // The meta file follows the tantivy commit: if we crash in between, the
        // next run re-indexes those papers, and deleting by path keeps that clean.
        self.meta.write(&dir)?;
        self.reader.reload().map_err(|e| Error::tantivy(&dir, e))?;
        let mut vocabulary = Vocabulary::builtin();
        vocabulary.extend_with_glossary(&self.meta.glossary);
        self.vocabulary = vocabulary;
        self.dirty = false;
        Ok(())
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            let memory = WRITER_MEMORY.max(self.threads * 16 * 1024 * 1024);
            let w = self
                .index
                .writer_with_num_threads(self.threads, memory)
                .map_err(|e| Error::tantivy(&self.dir, e))?;
            self.writer = Some(w);
        }
        match self.writer.as_mut() {
            Some(w) => Ok(w),
            None => Err(Error::Corrupt {
                path: self.dir.clone(),
                reason: "index writer unavailable".into(),
            }),
        }
    }
}

/// The re-indexing key of a source path: as recorded, without a leading `./`.
fn key(path: &str) -> String {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.to_owned()
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    let mut entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.into(),
        source,
    })?;
    Ok(entries.next().is_none())
}

fn to_tantivy(f: &Fields, path: &str, e: &Entry) -> std::io::Result<TantivyDocument> {
    let h = &e.hit;
    let mut d = TantivyDocument::default();
    d.add_text(f.path, path);
    d.add_text(f.kind, h.kind.as_str());
    d.add_text(f.text, &h.text);
    if let Some(r) = &h.reference {
        d.add_text(f.reference, r);
    }
    for s in &h.steps {
        d.add_text(f.steps, s);
    }
    for m in &h.measures {
        d.add_text(f.measures, m);
    }
    for p in h.lead.iter().chain(&h.partners).chain(&h.strategic_lead) {
        d.add_text(f.people, p);
    }
    for p in h.lead.iter().chain(&h.strategic_lead) {
        d.add_text(f.lead_key, p);
    }
    if let Some(p) = &h.parent_action {
        d.add_text(f.context, &p.text);
    }
    if let Some(r) = &h.recommendation {
        d.add_text(f.context, &r.text);
    }
    if let Some(t) = &h.timescale {
        d.add_text(f.timescale, &t.raw);
    }
    for extra in [&h.resources, &h.progress, &h.status].into_iter().flatten() {
        d.add_text(f.timescale, extra);
    }
    if let Some(t) = &h.timeframe_raw {
        d.add_text(f.timescale, t);
    }
    for s in [
        &h.document.council,
        &h.document.title,
        &h.document.committee,
        &e.list,
    ]
    .into_iter()
    .flatten()
    {
        d.add_text(f.about, s);
    }
    if let Some(c) = &h.document.council {
        d.add_text(f.council_key, c);
    }
    // The filter reads the recommendation's timeframe (inherited by its actions) and the
    // timeframe an action's own timescale states ("Short/Medium", "Ongoing").
    let own = h.timescale.as_ref().and_then(|t| t.timeframe);
    for t in [h.timeframe, own].into_iter().flatten() {
        d.add_text(f.timeframe, timeframe_key(t));
    }
    let range = h.document.date.as_deref().and_then(hit::date_range);
    if let Some((lo, hi)) = range {
        d.add_u64(f.date_lo, lo);
        d.add_u64(f.date_hi, hi);
    }
    let council = h
        .document
        .council
        .as_deref()
        .unwrap_or("unknown")
        .replace('/', "-");
    d.add_facet(f.facets, Facet::from_path(["council", council.as_str()]));
    let year = range
        .map(|(lo, _)| (lo / 10000).to_string())
        .unwrap_or_else(|| "unknown".into());
    d.add_facet(f.facets, Facet::from_path(["year", year.as_str()]));
    d.add_text(
        f.hit,
        serde_json::to_string(h).map_err(std::io::Error::other)?,
    );
    Ok(d)
}

/// The indexed spelling of a timeframe: its horizon ("immediate", "short", "medium", …).
pub(crate) fn timeframe_key(t: actionplan_model::Timeframe) -> &'static str {
    t.horizon.as_str()
}
