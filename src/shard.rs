//! Shard files: one part of a run split across processes or machines
//! (`crm-roi run --shard K/N`), and reading them back for `crm-roi merge`.
//! See docs/scale-out.md for the model and its guarantees.
//!
//! A shard holds everything the merge needs to write the results one
//! process would write, byte for byte: the engine's [`Part`] (per-chunk
//! sums and moments, counts, sketches, kept per-trial values, keys and
//! draws) and, with `--export-trials`, its rows of trials.csv. Its header records what
//! must agree between the shards of one run: the program version, a
//! fingerprint of the scenario, trials, seed, sampling method, K and N.
//!
//! The layout is plain and documented (all integers little-endian):
//!
//! | bytes | content |
//! | --- | --- |
//! | 8 | the magic `CRMSHARD` |
//! | 4 | format version (3; 2 kept the fan's sketches with each bin's least and largest value, 1 kept every output as doubles) |
//! | 8 + h | header length h, then the header as JSON ([`Header`]) |
//! | 8 + b | body length b, then the [`Part`] in postcard (serde) |
//! | 8 + e | export length e, then the rows as trials.csv writes them (header line included); e = 0 without an export |
//! | 32 | SHA-256 of every byte before it |
//!
//! A file is written under a temporary name and renamed into place, so a
//! shard file is either whole or absent; the checksum catches a file
//! damaged later.

use crate::config::Scenario;
use crate::engine::Part;
use crate::sampling::Method;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The extension of shard files.
pub const EXTENSION: &str = "crmshard";
const MAGIC: &[u8; 8] = b"CRMSHARD";
const FORMAT: u32 = 3;
/// No header is this long; a longer one means a damaged or foreign file.
const MAX_HEADER: u64 = 1 << 20;
/// The most shards a run, batch or sweep may be split into (`--shard K/N`);
/// a file that claims more is refused before anything is counted out to N.
pub const MAX_SHARDS: u64 = 100_000;

/// Whether K of N names a shard: 1 <= K <= N <= [`MAX_SHARDS`].
pub fn is_shard_of(k: u64, n: u64) -> bool {
    (1..=MAX_SHARDS).contains(&n) && (1..=n).contains(&k)
}

/// What a shard is part of; every shard of one run has the same header
/// except `shard` and `chunks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// `crm-roi`.
    pub program: String,
    /// The version that wrote it; merging needs the same version.
    pub version: String,
    /// The scenario's name (its result directory).
    pub scenario: String,
    /// The scenario file as the command line gave it.
    pub file: PathBuf,
    /// SHA-256 of the validated scenario ([`fingerprint`]).
    pub fingerprint: String,
    pub trials: u64,
    pub seed: u64,
    /// `monte-carlo` or `latin-hypercube`.
    pub sampling: String,
    /// K, 1-based.
    pub shard: u64,
    /// N.
    pub shards: u64,
    /// The chunks this shard ran: [first, end).
    pub chunks: [u64; 2],
    /// Whether it holds rows of trials.csv.
    pub export_trials: bool,
}

impl Header {
    /// The header of shard `k` of `n` of a run of `scenario`.
    pub fn new(
        scenario: &Scenario,
        settings: &crate::engine::Settings,
        (k, n): (u64, u64),
        part: &Part,
        export_trials: bool,
    ) -> Header {
        Header {
            program: "crm-roi".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.name.clone(),
            file: scenario.file.clone(),
            fingerprint: fingerprint(scenario),
            trials: settings.trials,
            seed: settings.seed,
            sampling: settings.method.name().into(),
            shard: k,
            shards: n,
            chunks: [part.chunks.start, part.chunks.end],
            export_trials,
        }
    }

    /// The sampling method it names.
    pub fn method(&self) -> Option<Method> {
        Method::from_name(&self.sampling)
    }

    /// What no shard this program writes can have: another program, a
    /// fingerprint that is not a SHA-256 in hex, K outside 1..=N, N beyond
    /// [`MAX_SHARDS`], chunks that run backwards, an unknown sampling
    /// method. (A file with a valid checksum may still have been edited.)
    fn check(&self) -> Result<(), String> {
        if self.program != "crm-roi" {
            return Err(format!("was written by `{}`, not crm-roi", self.program));
        }
        if self.fingerprint.len() != 64
            || !self
                .fingerprint
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err("has a malformed scenario fingerprint (not 64 hex digits)".into());
        }
        if !is_shard_of(self.shard, self.shards) {
            return Err(format!(
                "says it is shard {} of {}: K must run from 1 to N, and N at most {MAX_SHARDS}",
                self.shard, self.shards
            ));
        }
        if self.chunks[0] > self.chunks[1] {
            return Err(format!(
                "says it ran chunks {} to {}, which run backwards",
                self.chunks[0], self.chunks[1]
            ));
        }
        if self.method().is_none() {
            return Err(format!(
                "names an unknown sampling method `{}`",
                self.sampling
            ));
        }
        Ok(())
    }
}

/// A shard file read and checked.
#[derive(Debug)]
pub struct Shard {
    pub path: PathBuf,
    pub header: Header,
    pub part: Part,
    /// Where its export lies in the file: (offset, length).
    export: (u64, u64),
}

/// Why a file is not a usable shard.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    #[error("{}: cannot read it: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
}

/// SHA-256 (hex) of everything in a validated scenario that shapes its
/// results: the scenario as the program holds it after parsing,
/// `extends` and validation, without its file path and warnings. Two
/// files that differ only in comments, layout or location fingerprint
/// alike; any change to a number, name or distribution does not.
pub fn fingerprint(scenario: &Scenario) -> String {
    let mut s = scenario.clone();
    s.file = PathBuf::new();
    s.warnings.clear();
    hex(&Sha256::digest(format!("{s:?}").as_bytes()))
}

/// Bytes in lowercase hex, as fingerprints are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The kind of the temporary file a shard is written into before it is
/// renamed into place (`.crm-roi-shard-TAG.PID-XXXXXX`).
pub const TEMP_KIND: &str = "shard";

/// The kind of the temporary file that `run --shard --export-trials`
/// writes a shard's trials.csv rows into (`.crm-roi-trials-TAG.PID-XXXXXX`).
pub const TRIALS_KIND: &str = "trials";

/// Removes the temporary files of shards and of their trials.csv rows that
/// processes killed outright (SIGKILL, a power cut) left in `dir`; see
/// [`remove_dead_temps`](crate::report::replace::remove_dead_temps).
pub fn remove_leftovers(dir: &Path) -> anyhow::Result<()> {
    use crate::report::replace::remove_dead_temps;
    remove_dead_temps(dir, TEMP_KIND, MAGIC)?;
    remove_dead_temps(dir, TRIALS_KIND, b"trial,")
}

/// Writes a shard file at `path`: the header, the part and, when given,
/// the export file's bytes (all of it, header line included). The file is
/// written under a temporary name beside `path` and renamed into place.
pub fn write(
    path: &Path,
    header: &Header,
    part: &Part,
    export: Option<&Path>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let prefix = crate::report::replace::temp_prefix(TEMP_KIND);
    let mut tmp = tempfile::Builder::new().prefix(&prefix).tempfile_in(dir)?;
    {
        let mut w = Hashing {
            inner: BufWriter::new(tmp.as_file_mut()),
            hash: Sha256::new(),
        };
        w.write_all(MAGIC)?;
        w.write_all(&FORMAT.to_le_bytes())?;
        let head = serde_json::to_vec(header).map_err(std::io::Error::other)?;
        w.write_all(&(head.len() as u64).to_le_bytes())?;
        w.write_all(&head)?;
        let body = postcard::to_stdvec(part).map_err(std::io::Error::other)?;
        w.write_all(&(body.len() as u64).to_le_bytes())?;
        w.write_all(&body)?;
        match export {
            Some(p) => {
                let mut f = File::open(p)?;
                let len = f.metadata()?.len();
                w.write_all(&len.to_le_bytes())?;
                let copied = std::io::copy(&mut f, &mut w)?;
                if copied != len {
                    return Err(std::io::Error::other(format!(
                        "{} changed while it was copied",
                        p.display()
                    )));
                }
            }
            None => w.write_all(&0u64.to_le_bytes())?,
        }
        let digest = w.hash.finalize();
        w.inner.write_all(&digest)?;
        w.inner.flush()?;
    }
    // A shard is read by the merge job, maybe as another user of the
    // group: the permissions of a new file (the temporary one is 0600).
    crate::report::with_new_file_mode(tmp.as_file())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether `path` is a shard file (by its first bytes): a file the program
/// may replace.
pub fn is_shard(path: &Path) -> bool {
    let mut magic = [0u8; 8];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == MAGIC)
}

/// Reads and checks a shard file: its magic, format, checksum, header and
/// part. The export stays in the file until [`Shard::copy_export`].
pub fn read(path: &Path) -> Result<Shard, ShardError> {
    let io = |source| ShardError::Io {
        path: path.to_path_buf(),
        source,
    };
    let invalid = |reason: String| ShardError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let mut r = BufReader::new(file);
    let mut hash = Sha256::new();
    let mut take = |r: &mut BufReader<File>, n: u64, what: &str| -> Result<Vec<u8>, ShardError> {
        if n > size {
            return Err(invalid(format!(
                "is damaged or incomplete: its {what} runs past the end of the file"
            )));
        }
        let mut buf = vec![0u8; n as usize];
        r.read_exact(&mut buf).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => invalid(format!(
                "is damaged or incomplete: it ends inside its {what}"
            )),
            _ => io(e),
        })?;
        hash.update(&buf);
        Ok(buf)
    };
    if size < MAGIC.len() as u64 || take(&mut r, 8, "start")? != MAGIC {
        return Err(invalid("is not a crm-roi shard file".into()));
    }
    let format = u32::from_le_bytes(take(&mut r, 4, "format")?.try_into().expect("4 bytes"));
    if format != FORMAT {
        return Err(invalid(format!(
            "is in shard format {format}; this crm-roi reads format {FORMAT}"
        )));
    }
    let len = |b: Vec<u8>| u64::from_le_bytes(b.try_into().expect("8 bytes"));
    let head_len = len(take(&mut r, 8, "header length")?);
    if head_len > MAX_HEADER {
        return Err(invalid("is damaged: its header is too long".into()));
    }
    let head = take(&mut r, head_len, "header")?;
    let body_len = len(take(&mut r, 8, "body length")?);
    let body = take(&mut r, body_len, "body")?;
    let export_len = len(take(&mut r, 8, "export length")?);
    let export_at = 8 + 4 + 8 + head_len + 8 + body_len + 8;
    if export_at
        .checked_add(export_len)
        .and_then(|e| e.checked_add(32))
        != Some(size)
    {
        return Err(invalid(format!(
            "is damaged or incomplete: {size} bytes where its lengths say {}",
            export_at.saturating_add(export_len).saturating_add(32)
        )));
    }
    // The export is only hashed here, not kept.
    let mut rest = (&mut r).take(export_len);
    let mut block = vec![0u8; 1 << 20];
    loop {
        let k = rest.read(&mut block).map_err(io)?;
        if k == 0 {
            break;
        }
        hash.update(&block[..k]);
    }
    let mut stored = [0u8; 32];
    r.read_exact(&mut stored).map_err(io)?;
    if hash.finalize()[..] != stored {
        return Err(invalid(
            "is damaged: its checksum does not match its contents".into(),
        ));
    }
    let header: Header = serde_json::from_slice(&head)
        .map_err(|e| invalid(format!("has a header this version cannot read: {e}")))?;
    header.check().map_err(invalid)?;
    let (part, rest): (Part, _) = postcard::take_from_bytes(&body)
        .map_err(|e| invalid(format!("has a body this version cannot read: {e}")))?;
    if !rest.is_empty() {
        return Err(invalid(format!(
            "has {} bytes after the end of its body",
            rest.len()
        )));
    }
    // What the header says against what the body holds: a checksum made
    // again over edited contents passes, a run's own shard always fits.
    let chunks = crate::engine::shard_chunks(header.trials, header.shard, header.shards);
    let said = header.chunks[0]..header.chunks[1];
    if part.chunks != said {
        return Err(invalid(format!(
            "says it ran {} but holds {}",
            chunks_text(&said),
            chunks_text(&part.chunks)
        )));
    }
    if part.chunks != chunks {
        return Err(invalid(format!(
            "holds {} where shard {} of {} of {} trials runs {}",
            chunks_text(&part.chunks),
            header.shard,
            header.shards,
            header.trials,
            chunks_text(&chunks)
        )));
    }
    if header.export_trials != (export_len > 0) {
        return Err(invalid(if header.export_trials {
            "says it holds trials.csv rows but holds none".into()
        } else {
            "holds trials.csv rows its header does not announce".into()
        }));
    }
    Ok(Shard {
        path: path.to_path_buf(),
        header,
        part,
        export: (export_at, export_len),
    })
}

impl Shard {
    /// Copies the shard's rows of trials.csv to `out`, without its first
    /// `skip` bytes (the header line, which the first shard's copy carries),
    /// after checking that those bytes are `expected_head`.
    pub fn copy_export(
        &self,
        out: &mut impl Write,
        expected_head: &[u8],
    ) -> Result<(), ShardError> {
        let io = |source| ShardError::Io {
            path: self.path.clone(),
            source,
        };
        let (at, len) = self.export;
        let mut f = File::open(&self.path).map_err(io)?;
        f.seek(SeekFrom::Start(at)).map_err(io)?;
        let mut head = vec![0u8; expected_head.len().min(len as usize)];
        f.read_exact(&mut head).map_err(io)?;
        if head != expected_head {
            return Err(ShardError::Invalid {
                path: self.path.clone(),
                reason: "its trials.csv rows have other columns than this scenario's".into(),
            });
        }
        let mut rest = f.take(len - head.len() as u64);
        let mut counted = Lines {
            inner: out,
            lines: 0,
        };
        std::io::copy(&mut rest, &mut counted).map_err(io)?;
        // One row per trial of its chunks (a row is numbers only: one line).
        let rows = crate::engine::trials_in(self.header.trials, &self.part.chunks);
        if counted.lines != rows {
            return Err(ShardError::Invalid {
                path: self.path.clone(),
                reason: format!(
                    "holds {} trials.csv rows for its {rows} trials",
                    counted.lines
                ),
            });
        }
        Ok(())
    }
}

/// A range of chunks in words: "chunks 0 to 2", "chunk 4", "no chunks".
fn chunks_text(r: &std::ops::Range<u64>) -> String {
    match r.end.saturating_sub(r.start) {
        0 => "no chunks".into(),
        1 => format!("chunk {}", r.start),
        _ => format!("chunks {} to {}", r.start, r.end - 1),
    }
}

/// Writes through to `inner` and counts the line ends it writes.
struct Lines<'a, W: Write> {
    inner: &'a mut W,
    lines: u64,
}

impl<W: Write> Write for Lines<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.lines += buf[..k].iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(k)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes through to `inner` and hashes what it writes.
struct Hashing<W: Write> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.hash.update(&buf[..k]);
        Ok(k)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
