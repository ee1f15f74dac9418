//! Reading a file that a user names (a scenario, a base it extends, a CSV
//! of history): only a regular file, and only up to a size limit. The type
//! is checked on the path before the file is opened (opening a named pipe
//! would block, a device such as `/dev/zero` would be read until memory
//! runs out) and again on the opened file; at most one byte beyond the
//! limit is read, in case the file grows after the check. Each caller
//! words its own messages (see docs/scenario-format.md).

use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    NotFound(std::io::Error),
    /// What it is instead: "a named pipe (FIFO)", "a device", ...
    NotRegular(&'static str),
    /// Larger than the limit.
    TooLarge,
    /// Not UTF-8: the 1-based position of the first byte that is not.
    NotUtf8(usize),
    Io(std::io::Error),
}

/// What kind of file system object `m` is, for an error message.
pub(crate) fn kind_of(m: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if m.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// The text of `path`: a regular file of at most `max` bytes of UTF-8.
pub(crate) fn read_text(path: &Path, max: u64) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound(e),
        _ => ReadError::Io(e),
    })?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta)));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta)));
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to() + 1))
}
