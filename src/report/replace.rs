//! Replacing a result directory without losing anything that is not ours.
//!
//! A run writes into a hidden staging directory beside its target
//! (`.NAME.partial-PID-TAG-XXXXXX`, TAG naming the machine) and swaps it into place at the end. This
//! module decides whether the target may be replaced and makes the swap
//! recoverable:
//!
//! - **Only our directories are replaced.** Every result directory holds a
//!   marker, [`MARKER`] (`.crm-roi`), listing the files the run wrote with
//!   the SHA-256 of each (the form `sha256sum` writes). A directory is
//!   replaced only if every entry in it is listed there and still holds
//!   what the run wrote: a file edited since (a sweep's variant, say) is
//!   the user's, and the directory is kept. A
//!   directory written before the marker existed counts as ours only if it
//!   holds a `summary.json` of ours and nothing but the files a run writes
//!   (see [`owned`]). Anything else (a symbolic link, a file, a folder with
//!   other files) is refused with [`Refused`] (exit code 2).
//! - **One swap at a time.** Recovery, the check and the swap run under an
//!   advisory lock on the parent directory (`flock` on Unix), so concurrent
//!   runs into the same `--out` replace each other's results whole, one
//!   after the other.
//! - **No window without results.** On Linux the swap is one
//!   `renameat2(RENAME_EXCHANGE)`. Where that is not supported it is two
//!   renames (target to `.NAME.old-PID-TAG`, staging to target), and a failed
//!   second rename is rolled back.
//! - **Leftovers of dead processes are recovered.** A run killed between
//!   the two renames leaves `.NAME.old-PID-TAG` and no target: the next run
//!   into the same place moves it back. Staging directories and superseded
//!   `.old` directories of dead processes are removed. A live process's
//!   leftovers are never touched, nor those of another machine (TAG; a
//!   process id says nothing about another machine's processes), nor is anything whose name looks like a
//!   leftover but that holds no marker of ours (a staging directory gets
//!   its marker, [`mark_staging`], before anything is written into it).
//!
//! The user-visible rules are in `docs/batch.md` ("Which directories are
//! replaced").

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The marker file of a result directory.
pub const MARKER: &str = ".crm-roi";

/// The first line of [`MARKER`]: each file it lists follows its SHA-256,
/// as `sha256sum` writes them. A marker with another first line (but
/// [`MARKER_HEADER_1`]) is not understood, and its directory is not
/// replaced.
const MARKER_HEADER: &str = "# crm-roi result directory, format 2";

/// The first line of the markers of earlier versions, which list names
/// only: their files are taken as written.
const MARKER_HEADER_1: &str = "# crm-roi result directory, format 1";

/// The first line of the [`MARKER`] a staging directory holds while its
/// run writes into it (the full marker replaces it when the run is
/// complete): the proof, for a later run's recovery, that a
/// `.NAME.partial-PID` directory is one this program made.
const STAGING_HEADER: &str = "# crm-roi staging directory, format 1";

/// The longest result directory name, in bytes: a file name has at most
/// 255, and the staging directory adds up to 36 (`.`, `.partial-`, a
/// process id, the machine's tag and a random suffix, with their dashes).
pub const MAX_DIR_NAME_BYTES: usize = crate::config::MAX_NAME_BYTES;

/// The files a run wrote before result directories carried [`MARKER`].
const LEGACY_FILES: [&str; 16] = [
    "breakdown.png",
    "breakdown.svg",
    "fan.csv",
    "fan_chart.png",
    "fan_chart.svg",
    "npv.png",
    "npv.svg",
    "payback.png",
    "payback.svg",
    "percentiles.csv",
    "report.html",
    "sensitivity.csv",
    "summary.json",
    "tornado.png",
    "tornado.svg",
    "trials.csv",
];

/// The program refuses to touch a path (exit code 2): the user must move
/// something away or choose another name or `--out`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// `text` cut to about `max` characters for an error message, with the
/// total length when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let chars = text.chars().count();
    if chars <= max {
        return format!("{text:?}");
    }
    let head: String = text.chars().take(max).collect();
    format!("{head:?}… ({chars} characters)")
}

/// Refuses a directory name that leaves no room for the staging name.
pub fn check_dir_name(name: &str) -> Result<(), Refused> {
    if name.len() > MAX_DIR_NAME_BYTES {
        return Err(Refused(format!(
            "the result directory name {} is {} bytes long; at most {MAX_DIR_NAME_BYTES} are allowed, to leave room for the temporary directory beside it",
            shorten(name, 40),
            name.len()
        )));
    }
    Ok(())
}

/// An advisory lock on a directory, held until dropped.
pub struct Lock(#[allow(dead_code)] Option<fs::File>);

/// Locks `dir` against other crm-roi processes replacing its entries: an
/// exclusive `flock` on the directory itself (nothing is written), released
/// when the process ends, however it ends. Elsewhere than on Unix there is
/// no lock: concurrent runs into one place are then not safe.
pub fn lock(dir: &Path) -> Result<Lock> {
    #[cfg(unix)]
    {
        use rustix::fs::{FlockOperation, flock};
        let file = fs::File::open(dir)
            .with_context(|| format!("cannot open {} to lock it", dir.display()))?;
        flock(&file, FlockOperation::LockExclusive)
            .map_err(io::Error::from)
            .with_context(|| format!("cannot lock {}", dir.display()))?;
        Ok(Lock(Some(file)))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(Lock(None))
    }
}

/// Whether the directory `dir` may be replaced: `Ok(Ok(()))` if it is ours
/// (or empty), `Ok(Err(reason))` if not.
///
/// Ours means: every entry is a file listed in its [`MARKER`] with the
/// SHA-256 of what it still holds, or a directory whose files are all
/// listed as `DIR/NAME` (a sweep's `variants/`); for a marker of an
/// earlier version, which lists names only, every entry is listed; for a
/// directory written before the marker existed, it holds a `summary.json`
/// with our `scenario` and `trials` fields and nothing but `LEGACY_FILES`.
pub fn owned(dir: &Path) -> io::Result<Result<(), String>> {
    let mut names = Vec::new();
    if let Err(why) = list_files(dir, "", &mut names)? {
        return Ok(Err(why));
    }
    if names.is_empty() {
        return Ok(Ok(()));
    }
    // Each listed name, with the hash it was written with, if any.
    let listed: Listing = match fs::read_to_string(dir.join(MARKER)) {
        Ok(text) => match marker_entries(&text, &[MARKER_HEADER, MARKER_HEADER_1]) {
            Some(entries) => entries
                .into_iter()
                .chain([(MARKER.to_string(), None)])
                .collect(),
            None => {
                return Ok(Err(format!(
                    "its {MARKER} marker is not one this version understands"
                )));
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if !legacy_summary(&dir.join("summary.json")) {
                return Ok(Err(format!(
                    "it holds no crm-roi results (no {MARKER} marker, no summary.json of a run)"
                )));
            }
            LEGACY_FILES.iter().map(|s| (s.to_string(), None)).collect()
        }
        Err(e) => return Err(e),
    };
    names.sort();
    if let Some(foreign) = names.iter().find(|n| !listed.contains_key(*n)) {
        return Ok(Err(format!(
            "it holds {foreign}, which crm-roi did not write there"
        )));
    }
    // Every name is listed: now what each file holds.
    for name in &names {
        if !name.ends_with('/') && !unchanged(&dir.join(name), listed[name].as_deref())? {
            return Ok(Err(format!("{name} was changed after crm-roi wrote it")));
        }
    }
    Ok(Ok(()))
}

/// Whether the file at `path` holds what a marker says was written there:
/// bytes of SHA-256 `hash`, or anything when the marker gives no hash (a
/// marker of an earlier version, or a file being written).
pub fn unchanged(path: &Path, hash: Option<&str>) -> io::Result<bool> {
    match hash {
        Some(hash) => Ok(sha256_of(path)? == hash),
        None => Ok(true),
    }
}

/// The SHA-256 of a file's bytes, in lowercase hex, read in pieces.
pub fn sha256_of(path: &Path) -> io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    io::copy(&mut fs::File::open(path)?, &mut hash)?;
    Ok(format!("{:x}", hash.finalize()))
}

/// The files below `dir`, as `prefix` + their path with `/` (an empty
/// directory as `NAME/`); `Err(reason)` for an entry that is neither a
/// file nor a directory (a symbolic link, a socket).
fn list_files(dir: &Path, prefix: &str, out: &mut Vec<String>) -> io::Result<Result<(), String>> {
    let before = out.len();
    for e in fs::read_dir(dir)? {
        let e = e?;
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        let kind = e.file_type()?;
        if kind.is_file() {
            out.push(name);
        } else if kind.is_dir() {
            if let Err(why) = list_files(&e.path(), &format!("{name}/"), out)? {
                return Ok(Err(why));
            }
        } else {
            return Ok(Err(format!(
                "it holds {name}, which is not a file crm-roi writes"
            )));
        }
    }
    if out.len() == before && !prefix.is_empty() {
        out.push(prefix.to_string());
    }
    Ok(Ok(()))
}

/// Whether `path` is the `summary.json` of a run (a JSON object with a
/// `scenario` text and a `trials` number).
fn legacy_summary(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else {
        return false;
    };
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&text) else {
        return false;
    };
    map.get("scenario").is_some_and(|v| v.is_string())
        && map.get("trials").is_some_and(|v| v.is_u64())
}

/// Which command's results a directory holds, known by the file each
/// writes: `run`, `batch` and `merge` write `summary.json`, `solve`
/// writes `solve.json`, `sweep` writes `sweep.csv`. A command replaces only
/// its own kind: a run into `OUT/solve` must not replace a solve's result,
/// nor a solve a run's ([`check_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Run,
    Solve,
    Sweep,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Run, Kind::Solve, Kind::Sweep];

    /// The file that every result of this kind holds.
    fn signature(self) -> &'static str {
        match self {
            Kind::Run => "summary.json",
            Kind::Solve => "solve.json",
            Kind::Sweep => "sweep.csv",
        }
    }

    /// In words, for messages.
    fn results(self) -> &'static str {
        match self {
            Kind::Run => "a run",
            Kind::Solve => "a solve",
            Kind::Sweep => "a sweep",
        }
    }
}

/// Refuses a result directory `target` of ours that holds another
/// command's results than `kind` (to be called after
/// [`check_replaceable`]).
pub fn check_kind(target: &Path, kind: Kind) -> Result<()> {
    if !fs::symlink_metadata(target).is_ok_and(|m| m.is_dir())
        || target.join(kind.signature()).is_file()
    {
        return Ok(());
    }
    match Kind::ALL
        .into_iter()
        .find(|k| target.join(k.signature()).is_file())
    {
        Some(other) => Err(Refused(format!(
            "{} holds the results of {} ({}), which {} does not replace. Move it away, or choose another name or --out",
            target.display(),
            other.results(),
            other.signature(),
            kind.results()
        ))
        .into()),
        None => Ok(()),
    }
}

/// Refuses unless `target` is absent or a directory that is ours.
pub fn check_replaceable(target: &Path) -> Result<()> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", target.display())),
    };
    let refuse = |why: String| -> Result<()> {
        Err(Refused(format!(
            "{} is not replaced: {why}. Move it away, or choose another name or --out",
            target.display()
        ))
        .into())
    };
    if meta.file_type().is_symlink() {
        return refuse("it is a symbolic link".into());
    }
    if !meta.is_dir() {
        return refuse("it is not a directory".into());
    }
    match owned(target).with_context(|| format!("cannot read {}", target.display()))? {
        Ok(()) => Ok(()),
        Err(why) => refuse(why),
    }
}

/// What a marker lists: each file's name (`DIR/NAME` below a
/// subdirectory, `NAME/` for an empty one), with the SHA-256 of the bytes
/// written there, or none (a marker of an earlier version, a file being
/// written, a directory).
pub type Listing = BTreeMap<String, Option<String>>;

/// The text of a marker file: its `header` line, a comment saying which
/// version wrote it (`about` follows the version), and one entry a line:
/// `HASH  NAME` as `sha256sum` writes it, or `NAME` alone. The markers of
/// result directories, of a batch's overview files and of `fit`'s charts
/// share this form.
pub fn marker_text(header: &str, about: &str, listing: &Listing) -> String {
    let mut text = format!(
        "{header}\n# Written by crm-roi {}{about}\n",
        env!("CARGO_PKG_VERSION")
    );
    for (name, hash) in listing {
        if let Some(hash) = hash {
            text.push_str(hash);
            text.push_str("  ");
        }
        text.push_str(name);
        text.push('\n');
    }
    text
}

/// The entries a marker file's `text` lists ([`marker_text`]). `None` when
/// its first line is none of `headers`.
pub fn marker_entries(text: &str, headers: &[&str]) -> Option<Listing> {
    let mut lines = text.lines();
    let header = lines.next()?;
    headers.contains(&header).then(|| {
        lines
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| match l.split_once("  ") {
                Some((hash, name)) if is_sha256(hash) && !name.is_empty() => {
                    (name.to_string(), Some(hash.to_string()))
                }
                _ => (l.to_string(), None),
            })
            .collect()
    })
}

/// Whether `text` is a SHA-256 in lowercase hex.
fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The SHA-256 of file `name` in `dir`, for its marker line.
pub fn hash_of(dir: &Path, name: &str) -> Result<String> {
    let path = dir.join(name);
    sha256_of(&path).with_context(|| format!("cannot read {}", path.display()))
}

/// Why the file `name` in `dir`, of a directory of files that crm-roi and
/// its user share (a batch's output directory, fit's chart directory),
/// may not be written over: `None` when it is absent, or a file that
/// `listing` lists and that holds what was written; else the reason, to
/// follow its path in a message.
pub fn not_ours(dir: &Path, name: &str, listing: &Listing) -> Result<Option<&'static str>> {
    let path = dir.join(name);
    Ok(match (fs::symlink_metadata(&path), listing.get(name)) {
        (Err(_), _) => None,
        (Ok(m), Some(hash)) if m.is_file() => {
            let same = unchanged(&path, hash.as_deref())
                .with_context(|| format!("cannot read {}", path.display()))?;
            (!same).then_some("was changed after crm-roi wrote it")
        }
        _ => Some("exists and crm-roi did not write it"),
    })
}

/// Writes the [`MARKER`] of a complete staging directory: its files, each
/// after its SHA-256 (an empty subdirectory as `NAME/` alone).
pub fn write_marker(dir: &Path) -> Result<()> {
    let mut names = Vec::new();
    if let Err(why) =
        list_files(dir, "", &mut names).with_context(|| format!("cannot list {}", dir.display()))?
    {
        anyhow::bail!("cannot mark {}: {why}", dir.display());
    }
    names.retain(|n| n != MARKER);
    let listing = names
        .into_iter()
        .map(|name| {
            let hash = (!name.ends_with('/'))
                .then(|| hash_of(dir, &name))
                .transpose()?;
            Ok((name, hash))
        })
        .collect::<Result<Listing>>()?;
    let text = marker_text(
        MARKER_HEADER,
        ". The next run into this directory replaces it\n# as a whole, unless it then holds files other than these, or\n# files changed since (`sha256sum -c .crm-roi` shows which):",
        &listing,
    );
    fs::write(dir.join(MARKER), text).with_context(|| format!("cannot write {}", dir.display()))
}

/// Marks a new, empty staging directory as this program's, before anything
/// is written into it, so that a later run may remove it if this one dies.
pub fn mark_staging(dir: &Path) -> Result<()> {
    fs::write(
        dir.join(MARKER),
        format!(
            "{STAGING_HEADER}\n# Written by crm-roi {}: results being written; removed by the next run\n# into the parent directory if the process that writes them has ended.\n",
            env!("CARGO_PKG_VERSION")
        ),
    )
    .with_context(|| format!("cannot write {}", dir.display()))
}

/// Whether `dir` is a directory (not a link to one) whose [`MARKER`] says
/// that this program made it: a staging directory, or results.
fn marked(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && fs::read_to_string(dir.join(MARKER)).is_ok_and(|t| {
            matches!(
                t.lines().next(),
                Some(STAGING_HEADER | MARKER_HEADER | MARKER_HEADER_1)
            )
        })
}

/// A leftover entry of some process beside a target.
#[derive(Debug, PartialEq)]
enum Leftover {
    Staging(Writer),
    Old(Writer),
}

/// The process that made a leftover: its id, and the tag of its machine
/// ([`host_tag`]; `None` in the names that earlier versions wrote).
#[derive(Debug, PartialEq)]
struct Writer {
    pid: u32,
    host: Option<String>,
}

impl Writer {
    /// Whether the process is known to have ended: it ran on this machine
    /// (a process id says nothing about another machine's processes, and
    /// several machines may write into one shared `--out`) and is gone.
    /// A name without a machine's tag is taken as this machine's, as
    /// versions that wrote such names did.
    fn ended(&self) -> bool {
        self.host.as_ref().is_none_or(|h| *h == host_tag()) && is_dead(self.pid)
    }
}

/// Which leftover `entry` is for the target `name`:
/// `.NAME.partial-PID-TAG-SUFFIX` or `.NAME.old-PID-TAG` (TAG is
/// [`host_tag`]), or, as versions without the tag named them,
/// `.NAME.partial-PID`, `.NAME.partial-PID-SUFFIX` or `.NAME.old-PID`.
fn leftover(entry: &str, name: &str) -> Option<Leftover> {
    let rest = entry.strip_prefix('.')?.strip_prefix(name)?;
    // PID and the machine's tag, then what follows them.
    fn pid(s: &str) -> Option<(u32, Option<String>, &str)> {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (digits, after) = s.split_at(end);
        let pid = digits.parse().ok()?;
        let tagged = after
            .strip_prefix('-')
            .filter(|t| t.len() >= HOST_TAG_LEN)
            .map(|t| t.split_at(HOST_TAG_LEN))
            .filter(|(tag, _)| tag.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        Some(match tagged {
            Some((tag, after)) if after.is_empty() || after.starts_with('-') => {
                (pid, Some(tag.to_string()), after)
            }
            _ => (pid, None, after),
        })
    }
    if let Some(p) = rest.strip_prefix(".partial-") {
        let (pid, host, after) = pid(p)?;
        (after.is_empty() || after.starts_with('-'))
            .then_some(Leftover::Staging(Writer { pid, host }))
    } else if let Some(p) = rest.strip_prefix(".old-") {
        // Only `.NAME.old-PID` or `.NAME.old-PID-TAG`, nothing after.
        let (pid, host, after) = pid(p)?;
        after
            .is_empty()
            .then_some(Leftover::Old(Writer { pid, host }))
    } else {
        None
    }
}

/// The length of [`host_tag`].
const HOST_TAG_LEN: usize = 8;

/// This machine's tag in the names of what a process leaves beside its
/// output while it works (staging and superseded directories, the
/// temporary files of shards): the first 8 hex digits of the SHA-256 of its
/// name ([`host`], or `?` where unknown). Only leftovers of this machine's
/// ended processes are removed, so that a run on one machine never removes
/// what a live run on another writes into the same shared directory (a
/// process id says nothing about another machine's processes).
fn host_tag() -> String {
    use sha2::{Digest, Sha256};
    let name = host().unwrap_or_else(|| "?".into());
    let hash = format!("{:x}", Sha256::digest(name.as_bytes()));
    hash[..HOST_TAG_LEN].to_string()
}

/// The start of the name of the staging directory of `dir_name`, to which
/// a random suffix is added: `.NAME.partial-PID-TAG-`.
pub fn staging_prefix(dir_name: &str) -> String {
    format!(".{dir_name}.partial-{}-{}-", std::process::id(), host_tag())
}

/// This machine's name, for [`host_tag`]; `None` where unknown.
fn host() -> Option<String> {
    #[cfg(unix)]
    {
        let name = rustix::system::uname();
        let name = name.nodename().to_string_lossy();
        (!name.is_empty() && !name.contains(['/', '\\'])).then(|| name.into_owned())
    }
    #[cfg(not(unix))]
    None
}

/// The prefix of a temporary file of kind `kind` that this process
/// writes beside its output (`.crm-roi-shard-TAG.PID-`, TAG the machine's
/// [`host_tag`]), which [`remove_dead_temps`] recognises on the same
/// machine once the process is gone.
pub fn temp_prefix(kind: &str) -> String {
    format!(".crm-roi-{kind}-{}.{}-", host_tag(), std::process::id())
}

/// Removes the temporary files of kind `kind` ([`temp_prefix`]) in `dir`
/// that processes of this machine killed outright left behind: a regular
/// file named so, of a process that has ended, and empty or starting with
/// `head` (what such a file starts with). Anything else of the name stays,
/// and so does every file of another machine (a shared shard directory).
pub fn remove_dead_temps(dir: &Path, kind: &str, head: &[u8]) -> Result<()> {
    use std::io::Read;
    let prefix = format!(".crm-roi-{kind}-{}.", host_tag());
    let Ok(listing) = fs::read_dir(dir) else {
        return Ok(());
    };
    for e in listing.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((pid, _)) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split_once('-'))
        else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if !e.file_type().is_ok_and(|t| t.is_file()) || !is_dead(pid) {
            continue;
        }
        let mut start = Vec::new();
        let read = fs::File::open(e.path())
            .and_then(|f| f.take(head.len() as u64).read_to_end(&mut start));
        if read.is_ok() && (start.is_empty() || start == head) {
            fs::remove_file(e.path())
                .with_context(|| format!("cannot remove {}", e.path().display()))?;
        }
    }
    Ok(())
}

/// Whether the process `pid` is known to have ended. Unknown (another
/// platform) counts as alive: its leftovers are left alone.
fn is_dead(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        matches!(
            rustix::process::test_kill_process(pid),
            Err(rustix::io::Errno::SRCH)
        )
    }
    #[cfg(not(unix))]
    false
}

/// Cleans up after dead processes that were replacing `parent/name` (to be
/// called under [`lock`]): moves back the previous results of a process
/// killed between its two renames, and removes staging directories and
/// superseded old results. Returns what was restored.
pub fn recover(parent: &Path, name: &str) -> Result<Option<PathBuf>> {
    let target = parent.join(name);
    let mut staging = Vec::new();
    let mut old = Vec::new();
    let listing =
        fs::read_dir(parent).with_context(|| format!("cannot list {}", parent.display()))?;
    for e in listing {
        let e = e.with_context(|| format!("cannot list {}", parent.display()))?;
        let entry = e.file_name().to_string_lossy().into_owned();
        // Only what this program made is touched: an entry of the same
        // name without its marker (a user's folder, a file) stays as it is.
        match leftover(&entry, name) {
            Some(Leftover::Staging(w)) if w.ended() => staging.push(e.path()),
            Some(Leftover::Old(w))
                if w.ended() && marked(&e.path()) && matches!(owned(&e.path()), Ok(Ok(()))) =>
            {
                let modified = e.metadata().and_then(|m| m.modified()).ok();
                old.push((modified, e.path()));
            }
            _ => {}
        }
    }
    for p in staging {
        if marked(&p) {
            fs::remove_dir_all(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        } else if fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            // Killed before its marker was written: empty, or not ours.
            let _ = fs::remove_dir(&p);
        }
    }
    // The newest old results come back if the target is missing.
    old.sort();
    let mut restored = None;
    if fs::symlink_metadata(&target).is_err() {
        if let Some((_, newest)) = old.pop() {
            fs::rename(&newest, &target).with_context(|| {
                format!(
                    "cannot move the previous results {} back to {}",
                    newest.display(),
                    target.display()
                )
            })?;
            restored = Some(newest);
        }
    }
    // The others were superseded (each checked to be ours above).
    for (_, p) in old {
        fs::remove_dir_all(&p).with_context(|| format!("cannot remove {}", p.display()))?;
    }
    Ok(restored)
}

/// Whether a failed exchange means "not supported here" (then two renames
/// do the job).
#[cfg(target_os = "linux")]
fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error().map(rustix::io::Errno::from_raw_os_error),
        Some(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP)
    )
}

/// Exchanges two existing paths atomically, where the platform can.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// How the swap moves directories: [`exchange`] and [`fs::rename`], or
/// failing stand-ins in tests.
pub(crate) struct Ops<'a> {
    pub exchange: &'a mut dyn FnMut(&Path, &Path) -> io::Result<()>,
    pub rename: &'a mut dyn FnMut(&Path, &Path) -> io::Result<()>,
}

/// Puts `staging` in the place of `target` (to be called under [`lock`],
/// after [`check_replaceable`]). Returns the directory now holding the
/// previous results, to be removed once the lock is released.
pub fn swap(staging: &Path, target: &Path) -> Result<Option<PathBuf>> {
    swap_with(
        staging,
        target,
        Ops {
            exchange: &mut exchange,
            rename: &mut |a, b| fs::rename(a, b),
        },
    )
}

pub(crate) fn swap_with(staging: &Path, target: &Path, ops: Ops) -> Result<Option<PathBuf>> {
    let move_err = || format!("cannot move the results to {}", target.display());
    if fs::symlink_metadata(target).is_err() {
        (ops.rename)(staging, target).with_context(move_err)?;
        return Ok(None);
    }
    match (ops.exchange)(staging, target) {
        // The staging name now holds the previous results.
        Ok(()) => return Ok(Some(staging.to_path_buf())),
        #[cfg(target_os = "linux")]
        Err(e) if !unsupported(&e) => return Err(e).with_context(move_err),
        Err(_) => {}
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = target.with_file_name(format!(".{name}.old-{}-{}", std::process::id(), host_tag()));
    (ops.rename)(target, &old).with_context(move_err)?;
    if let Err(e) = (ops.rename)(staging, target) {
        return match (ops.rename)(&old, target) {
            Ok(()) => Err(e).with_context(|| {
                format!(
                    "cannot move the results to {}; the previous results are back in place",
                    target.display()
                )
            }),
            Err(back) => Err(e).with_context(|| {
                format!(
                    "cannot move the results to {}, nor the previous results back ({back}); they are in {}, and the next run into {} moves them back",
                    target.display(),
                    old.display(),
                    target.parent().unwrap_or(Path::new(".")).display()
                )
            }),
        };
    }
    Ok(Some(old))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn write(p: &Path, text: &str) {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// A complete result directory with a marker.
    fn results(dir: &Path, text: &str) {
        write(&dir.join("summary.json"), text);
        write_marker(dir).unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// The pid of a process that has ended.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    /// Temporary files of dead processes go when they hold what such a
    /// file starts with (or nothing); a live process's, a folder, and a
    /// file of other contents stay.
    #[test]
    fn only_dead_processes_temporary_files_of_ours_are_removed() {
        let t = tempfile::tempdir().unwrap();
        let here = host_tag();
        let (dead, alive) = (
            format!("{here}.{}", dead_pid()),
            format!("{here}.{}", std::process::id()),
        );
        let there = if here == "0123abcd" {
            "4567cdef"
        } else {
            "0123abcd"
        };
        let elsewhere = format!("{there}.{}", dead_pid());
        assert!(temp_prefix("trials").starts_with(&format!(".crm-roi-trials-{alive}-")));
        let at = |name: String| t.path().join(name);
        write(&at(format!(".crm-roi-trials-{dead}-a")), "trial,x\n1,2\n");
        write(&at(format!(".crm-roi-trials-{dead}-b")), "");
        write(&at(format!(".crm-roi-trials-{dead}-c")), "my notes");
        write(&at(format!(".crm-roi-trials-{dead}-d")), "tri");
        write(&at(format!(".crm-roi-trials-{alive}-e")), "trial,x\n");
        write(&at(format!(".crm-roi-shard-{dead}-f")), "trial,x\n");
        fs::create_dir(at(format!(".crm-roi-trials-{dead}-g"))).unwrap();
        // Another machine's process (a shared directory): never touched.
        write(&at(format!(".crm-roi-trials-{elsewhere}-h")), "trial,x\n");
        remove_dead_temps(t.path(), "trials", b"trial,").unwrap();
        let mut kept = vec![
            format!(".crm-roi-shard-{dead}-f"),
            format!(".crm-roi-trials-{alive}-e"),
            format!(".crm-roi-trials-{dead}-c"),
            format!(".crm-roi-trials-{dead}-d"),
            format!(".crm-roi-trials-{dead}-g"),
            format!(".crm-roi-trials-{elsewhere}-h"),
        ];
        kept.sort();
        assert_eq!(names(t.path()), kept);
    }

    /// A result directory of one command's kind is not replaced by
    /// another command; one without any kind's file (empty, or only a
    /// marker) may be.
    #[test]
    fn a_command_replaces_only_its_own_kind() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("s");
        results(&dir, "{}");
        assert!(check_kind(&dir, Kind::Run).is_ok());
        let e = check_kind(&dir, Kind::Solve).unwrap_err();
        assert!(e.is::<Refused>());
        assert!(
            e.to_string().contains(
                "holds the results of a run (summary.json), which a solve does not replace"
            ),
            "{e}"
        );
        assert!(check_kind(&dir, Kind::Sweep).is_err());
        write(&dir.join("sweep.csv"), "x");
        write(&dir.join("summary.json"), "{}");
        assert!(check_kind(&dir, Kind::Sweep).is_ok());
        let empty = t.path().join("empty");
        fs::create_dir(&empty).unwrap();
        for k in Kind::ALL {
            assert!(check_kind(&empty, k).is_ok());
            assert!(check_kind(&t.path().join("absent"), k).is_ok());
        }
    }

    #[test]
    fn leftovers_are_recognised_by_name() {
        let w = |pid, host: Option<&str>| Writer {
            pid,
            host: host.map(str::to_string),
        };
        // As earlier versions named them, without the machine's tag.
        assert_eq!(
            leftover(".s.partial-12", "s"),
            Some(Leftover::Staging(w(12, None)))
        );
        assert_eq!(
            leftover(".s.partial-12-aB3x9q", "s"),
            Some(Leftover::Staging(w(12, None)))
        );
        assert_eq!(leftover(".s.old-7", "s"), Some(Leftover::Old(w(7, None))));
        // With it.
        assert_eq!(
            leftover(".s.partial-12-0a1b2c3d-aB3x9q", "s"),
            Some(Leftover::Staging(w(12, Some("0a1b2c3d"))))
        );
        assert_eq!(
            leftover(".s.old-7-0a1b2c3d", "s"),
            Some(Leftover::Old(w(7, Some("0a1b2c3d"))))
        );
        let ours = staging_prefix("s") + "aB3x9q";
        assert_eq!(
            leftover(&ours, "s"),
            Some(Leftover::Staging(w(std::process::id(), Some(&host_tag()))))
        );
        assert_eq!(leftover(".s.old-7-0a1b2c3d-x", "s"), None);
        assert_eq!(leftover(".s.old-7-0a1b2c3", "s"), None);
        assert_eq!(leftover(".s.partial-7x", "s"), None);
        assert_eq!(leftover(".s.old-7-x", "s"), None);
        assert_eq!(leftover(".s.partial-", "s"), None);
        assert_eq!(leftover(".s.partial-x1", "s"), None);
        assert_eq!(leftover(".st.old-7", "s"), None);
        assert_eq!(leftover("s.old-7", "s"), None);
    }

    #[test]
    fn only_our_directories_are_replaceable() {
        let t = tempfile::tempdir().unwrap();
        let ours = t.path().join("ours");
        results(&ours, "{}");
        assert!(check_replaceable(&ours).is_ok());
        assert!(check_replaceable(&t.path().join("absent")).is_ok());
        fs::create_dir(t.path().join("empty")).unwrap();
        assert!(check_replaceable(&t.path().join("empty")).is_ok());

        // A file the run did not write.
        write(&ours.join("notes.txt"), "mine");
        let e = check_replaceable(&ours).unwrap_err();
        assert!(e.is::<Refused>());
        assert!(e.to_string().contains("notes.txt"), "{e}");

        // A folder of someone else's files.
        let docs = t.path().join("docs");
        write(&docs.join("thesis.txt"), "years of work");
        let e = check_replaceable(&docs).unwrap_err().to_string();
        assert!(e.contains("no crm-roi results"), "{e}");

        // A file, a subdirectory.
        write(&t.path().join("file"), "x");
        assert!(check_replaceable(&t.path().join("file")).is_err());
        let nested = t.path().join("nested");
        results(&nested, "{}");
        fs::create_dir(nested.join("sub")).unwrap();
        assert!(check_replaceable(&nested).is_err());
    }

    /// A subdirectory that the marker lists file by file (a sweep's
    /// `variants/`) is ours; one more file in it, or an empty folder, is not.
    #[test]
    fn listed_subdirectories_are_ours() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("sweep");
        write(&dir.join("sweep.csv"), "x");
        write(&dir.join("variants/variant-1.toml"), "x");
        write_marker(&dir).unwrap();
        let marker = fs::read_to_string(dir.join(MARKER)).unwrap();
        // SHA-256 of "x": echo -n x | sha256sum.
        let x = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
        assert!(
            marker.ends_with(&format!("{x}  sweep.csv\n{x}  variants/variant-1.toml\n")),
            "{marker}"
        );
        assert!(check_replaceable(&dir).is_ok());

        write(&dir.join("variants/notes.txt"), "mine");
        let e = check_replaceable(&dir).unwrap_err().to_string();
        assert!(
            e.contains("variants/notes.txt, which crm-roi did not write"),
            "{e}"
        );
        fs::remove_file(dir.join("variants/notes.txt")).unwrap();
        fs::create_dir(dir.join("drafts")).unwrap();
        let e = check_replaceable(&dir).unwrap_err().to_string();
        assert!(e.contains("drafts/, which crm-roi did not write"), "{e}");
    }

    /// A listed file edited since the run (a sweep's variant, a report) is
    /// the user's: the directory is kept, naming the file. Put back as it
    /// was, it is ours again.
    #[test]
    fn a_file_changed_since_the_run_is_not_ours() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("sweep");
        write(&dir.join("sweep.csv"), "x");
        write(&dir.join("variants/variant-1.toml"), "trials = 100");
        write_marker(&dir).unwrap();
        assert!(check_replaceable(&dir).is_ok());

        write(&dir.join("variants/variant-1.toml"), "trials = 200");
        let e = check_replaceable(&dir).unwrap_err();
        assert!(e.is::<Refused>());
        let e = e.to_string();
        assert!(
            e.contains("variants/variant-1.toml was changed after crm-roi wrote it"),
            "{e}"
        );
        // Same length, other bytes.
        write(&dir.join("variants/variant-1.toml"), "trials = 101");
        assert!(check_replaceable(&dir).is_err());
        write(&dir.join("variants/variant-1.toml"), "trials = 100");
        assert!(check_replaceable(&dir).is_ok());
    }

    /// A marker of format 1 (names only) still makes its directory ours;
    /// a wrong hash, or a damaged one, makes it not ours.
    #[test]
    fn markers_of_format_1_and_damaged_markers() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("old");
        write(&dir.join("summary.json"), "{}");
        write(
            &dir.join(MARKER),
            &format!("{MARKER_HEADER_1}\n# Written by crm-roi 0.1.0\nsummary.json\n"),
        );
        assert!(check_replaceable(&dir).is_ok());
        assert!(marked(&dir));

        // A hash of other bytes, and a line that is no hash (a name).
        let other = "0".repeat(64);
        write(
            &dir.join(MARKER),
            &format!("{MARKER_HEADER}\n# Written by crm-roi\n{other}  summary.json\n"),
        );
        let e = check_replaceable(&dir).unwrap_err().to_string();
        assert!(e.contains("summary.json was changed"), "{e}");
        write(
            &dir.join(MARKER),
            &format!(
                "{MARKER_HEADER}\n# Written by crm-roi\n{}  summary.json\n",
                &other[1..]
            ),
        );
        let e = check_replaceable(&dir).unwrap_err().to_string();
        assert!(
            e.contains("summary.json, which crm-roi did not write"),
            "{e}"
        );
    }

    #[test]
    fn results_of_earlier_versions_are_replaceable_only_when_plain() {
        let t = tempfile::tempdir().unwrap();
        let old = t.path().join("old");
        write(
            &old.join("summary.json"),
            r#"{"scenario": "s", "trials": 1000}"#,
        );
        write(&old.join("fan.csv"), "month");
        write(&old.join("trials.csv"), "trial");
        assert!(check_replaceable(&old).is_ok());
        write(&old.join("stale.txt"), "mine");
        assert!(check_replaceable(&old).is_err());

        // A summary.json that is not ours.
        let other = t.path().join("other");
        write(&other.join("summary.json"), r#"{"title": "my notes"}"#);
        assert!(check_replaceable(&other).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_not_replaced() {
        let t = tempfile::tempdir().unwrap();
        results(&t.path().join("real"), "{}");
        std::os::unix::fs::symlink(t.path().join("real"), t.path().join("link")).unwrap();
        let e = check_replaceable(&t.path().join("link")).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
    }

    /// The swap without an exchange, the second rename failing: the
    /// previous results are put back.
    #[test]
    fn a_failed_second_rename_is_rolled_back() {
        let t = tempfile::tempdir().unwrap();
        let target = t.path().join("s");
        let staging = t.path().join(".s.partial-1");
        results(&target, "old");
        results(&staging, "new");
        let calls = Cell::new(0);
        let e = swap_with(
            &staging,
            &target,
            Ops {
                exchange: &mut |_, _| Err(io::Error::from_raw_os_error(22)),
                rename: &mut |a, b| {
                    calls.set(calls.get() + 1);
                    if calls.get() == 2 {
                        Err(io::Error::from_raw_os_error(28))
                    } else {
                        fs::rename(a, b)
                    }
                },
            },
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("back in place"), "{e:#}");
        assert_eq!(calls.get(), 3);
        assert_eq!(
            fs::read_to_string(target.join("summary.json")).unwrap(),
            "old"
        );
        assert_eq!(names(t.path()), [".s.partial-1", "s"]);
    }

    #[test]
    fn the_swap_replaces_and_hands_back_the_old_results() {
        let t = tempfile::tempdir().unwrap();
        let target = t.path().join("s");
        let staging = t.path().join(".s.partial-1");
        results(&target, "old");
        results(&staging, "new");
        let old = swap(&staging, &target).unwrap().unwrap();
        assert_eq!(
            fs::read_to_string(target.join("summary.json")).unwrap(),
            "new"
        );
        assert_eq!(fs::read_to_string(old.join("summary.json")).unwrap(), "old");
    }

    /// A process killed between its renames: the next run puts the old
    /// results back and removes the staging directory; a live process's
    /// leftovers stay.
    #[cfg(unix)]
    #[test]
    fn leftovers_of_dead_processes_are_recovered() {
        let t = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let live = std::process::id();
        results(&t.path().join(format!(".s.old-{dead}")), "old");
        results(&t.path().join(format!(".s.partial-{dead}-abc")), "half");
        results(&t.path().join(format!(".s.partial-{live}-abc")), "mine");
        results(&t.path().join(format!(".other.old-{dead}")), "other");
        let restored = recover(t.path(), "s").unwrap();
        assert!(restored.is_some());
        assert_eq!(
            fs::read_to_string(t.path().join("s/summary.json")).unwrap(),
            "old"
        );
        assert_eq!(
            names(t.path()),
            [
                format!(".other.old-{dead}"),
                format!(".s.partial-{live}-abc"),
                "s".to_string()
            ]
        );

        // With the target in place, an old leftover is superseded.
        results(&t.path().join(format!(".s.old-{dead}")), "older");
        assert!(recover(t.path(), "s").unwrap().is_none());
        assert!(!t.path().join(format!(".s.old-{dead}")).exists());
        assert_eq!(
            fs::read_to_string(t.path().join("s/summary.json")).unwrap(),
            "old"
        );
    }

    /// Several machines may write into one shared `--out`: a staging or
    /// superseded directory named with another machine's tag is left alone
    /// even when no process of its id runs here; this machine's are
    /// recovered.
    #[cfg(unix)]
    #[test]
    fn leftovers_of_other_machines_are_left_alone() {
        let t = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let (here, there) = (host_tag(), "0123abcd");
        assert_ne!(here, there);
        results(
            &t.path().join(format!(".s.partial-{dead}-{there}-abc")),
            "live elsewhere",
        );
        results(
            &t.path().join(format!(".s.old-{dead}-{there}")),
            "swapping elsewhere",
        );
        results(
            &t.path().join(format!(".s.partial-{dead}-{here}-abc")),
            "half",
        );
        results(&t.path().join(format!(".s.old-{dead}-{here}")), "old");
        let restored = recover(t.path(), "s").unwrap();
        assert_eq!(
            restored,
            Some(t.path().join(format!(".s.old-{dead}-{here}")))
        );
        assert_eq!(
            fs::read_to_string(t.path().join("s/summary.json")).unwrap(),
            "old"
        );
        assert_eq!(
            names(t.path()),
            [
                format!(".s.old-{dead}-{there}"),
                format!(".s.partial-{dead}-{there}-abc"),
                "s".to_string()
            ]
        );
    }

    /// Entries named like leftovers that this program did not make (no
    /// marker: a user's folder, a file) are neither removed nor moved, and
    /// do not stop a run; an unmarked empty staging directory (a run killed
    /// before it marked it) is removed.
    #[cfg(unix)]
    #[test]
    fn only_marked_leftovers_are_touched() {
        let t = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let mine = t.path().join(format!(".s.partial-{dead}-myproj"));
        write(&mine.join("thesis.docx"), "precious");
        let notes = t.path().join(format!(".s.old-{dead}"));
        write(&notes.join("notes.txt"), "precious too");
        let file = t.path().join(format!(".s.partial-{dead}"));
        write(&file, "a file");
        let empty = t.path().join(format!(".s.partial-{dead}-empty"));
        fs::create_dir(&empty).unwrap();
        let staged = t.path().join(format!(".s.partial-{dead}-abc"));
        fs::create_dir(&staged).unwrap();
        mark_staging(&staged).unwrap();
        write(&staged.join("fan.csv"), "half");
        assert!(recover(t.path(), "s").unwrap().is_none());
        assert_eq!(
            fs::read_to_string(mine.join("thesis.docx")).unwrap(),
            "precious"
        );
        assert_eq!(
            fs::read_to_string(notes.join("notes.txt")).unwrap(),
            "precious too"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "a file");
        assert!(!empty.exists() && !staged.exists());
        assert!(!t.path().join("s").exists(), "nothing is moved into place");
    }

    #[test]
    fn long_names_are_refused_with_a_short_echo() {
        assert!(check_dir_name(&"a".repeat(MAX_DIR_NAME_BYTES)).is_ok());
        let e = check_dir_name(&"a".repeat(10_000)).unwrap_err().to_string();
        assert!(e.len() < 300, "{e}");
        assert!(e.contains("10000 bytes"), "{e}");
        // Bytes, not characters.
        assert!(check_dir_name(&"é".repeat(MAX_DIR_NAME_BYTES / 2 + 1)).is_err());
    }
}
