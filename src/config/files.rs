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
    /// Not UTF-8: where the first byte that is not lies.
    NotUtf8(BadByte),
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
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        ReadError::NotUtf8(BadByte {
            line: 1 + valid.iter().filter(|&&b| b == b'\n').count(),
            column: valid.len() - line_start + 1,
        })
    })
}

/// Where a file's first byte that is not UTF-8 lies: 1-based line, and
/// byte within that line (an editor shows the line; Excel's "CSV" without
/// "UTF-8" writes é in Café as one such byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadByte {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for BadByte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, byte {} of the line", self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first byte that is not UTF-8 is found by line, and by byte
    /// within the line.
    #[test]
    fn a_byte_that_is_not_utf8_is_found_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let at = |bytes: &[u8]| {
            let p = dir.path().join("f.csv");
            std::fs::write(&p, bytes).unwrap();
            match read_text(&p, 1 << 20) {
                Err(ReadError::NotUtf8(b)) => b,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(at(b"\xff"), BadByte { line: 1, column: 1 });
        assert_eq!(at(b"x\n1\n2\nCaf\xe9\n"), BadByte { line: 4, column: 4 });
        // A character cut short counts from its first byte; é is two bytes.
        assert_eq!(
            at(b"x\n\xc3\xa9\n\xc3\xa9\xc3"),
            BadByte { line: 3, column: 3 }
        );
        assert_eq!(
            BadByte { line: 4, column: 4 }.to_string(),
            "line 4, byte 4 of the line"
        );
    }
}
