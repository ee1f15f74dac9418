//! Reads past experience from CSV files: columns of numbers for empirical
//! quantities and for `crm-roi fit`.
//!
//! A file has a header row naming its columns. The delimiter is a comma, a
//! semicolon or a tab, whichever the header row uses most (spreadsheets in
//! many countries save CSV with semicolons). The reading is strict, so that
//! no number is ever misread (the rules are in `docs/scenario-format.md`,
//! "Empirical quantities"):
//!
//! - the file must be a regular file of at most [`MAX_FILE_BYTES`], checked
//!   before it is opened (a device such as `/dev/zero` would be read
//!   forever, a FIFO would block);
//! - every row has as many fields as the header: `1,234.5` in a
//!   comma-separated file is two fields, never the number 1;
//! - column names are unique;
//! - cells are plain numbers with a dot as the decimal mark (`1234.5`,
//!   `-3`, `1e4`, surrounding spaces ignored). Thousands separators and
//!   decimal commas are refused, not guessed. In a file separated by
//!   semicolons or tabs (the locale is unknown), where `1.234` may mean
//!   1234, a column whose every dotted cell looks like a group of
//!   thousands is refused as ambiguous;
//! - a missing, empty or non-numeric cell in a column that is read is an
//!   error naming the line and the column, never a silently skipped row.

use super::files::{self, ReadError};
use std::path::Path;

/// The largest file read, in bytes (64 MiB: millions of rows of history).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// A table of cells, with the line number of each row in the file.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    /// The field delimiter (`,`, `;` or tab).
    delimiter: u8,
    /// (line, cells) per data row.
    rows: Vec<(u64, Vec<String>)>,
}

/// The text of a history file: a regular file of at most
/// [`MAX_FILE_BYTES`] of UTF-8 ([`files::read_text`]).
fn read_text(path: &Path, shown: &str) -> Result<String, String> {
    files::read_text(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::NotFound(_) => {
            format!("file `{shown}` not found (looked for {})", path.display())
        }
        ReadError::NotRegular(kind) => format!("`{shown}` is {kind}; it must be a CSV file"),
        ReadError::TooLarge => format!(
            "`{shown}` is larger than {} MiB, the most a history file may hold",
            MAX_FILE_BYTES >> 20
        ),
        ReadError::NotUtf8(at) => {
            format!("`{shown}` is not UTF-8 text (byte {at} is not); save it as CSV UTF-8")
        }
        ReadError::Io(e) => format!("cannot read `{shown}`: {e}"),
    })
}

/// Reads a whole CSV file. Errors are plain sentences naming the file.
pub fn read_table(path: &Path, shown: &str) -> Result<Table, String> {
    let text = read_text(path, shown)?;
    let text = text.trim_start_matches('\u{feff}');
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header_line.bytes().filter(|b| b == d).count())
        .filter(|d| header_line.as_bytes().contains(d))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("`{shown}`: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(format!(
            "`{shown}` is empty; it needs a header row naming its columns"
        ));
    }
    for (i, h) in headers.iter().enumerate() {
        if let Some(j) = headers[..i].iter().position(|x| x == h && !h.is_empty()) {
            return Err(format!(
                "`{shown}` has two columns named `{h}` (columns {} and {}); rename one, so that it is clear which one is meant",
                j + 1,
                i + 1
            ));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("`{shown}`: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue; // a blank line, such as a trailing one
        }
        if record.len() != headers.len() {
            let hint = if record.len() > headers.len() && delimiter == b',' {
                "; a number written with a thousands separator or a decimal comma (1,234.5 or 12,5) splits into two fields: write 1234.5 or 12.5"
            } else {
                ""
            };
            return Err(format!(
                "`{shown}` line {line}: {} field{} where the header has {}{hint}",
                record.len(),
                if record.len() == 1 { "" } else { "s" },
                headers.len()
            ));
        }
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(Table {
        headers,
        delimiter,
        rows,
    })
}

/// Digits with a thousands separator or a decimal comma: `1,234.5`,
/// `12,5`, `1 234`, `1'234`, `1_000`.
fn looks_separated(cell: &str) -> bool {
    const SEPARATORS: [char; 6] = [',', '\'', ' ', '\u{a0}', '\u{202f}', '_'];
    cell.contains(SEPARATORS)
        && cell.chars().any(|c| c.is_ascii_digit())
        && cell
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.".contains(c) || SEPARATORS.contains(&c))
}

/// `1.234`, `-12.500`: one to three digits (not starting with 0), a dot,
/// three digits. In a file not separated by commas this may be a number
/// with a thousands separator.
fn looks_grouped(cell: &str) -> bool {
    let digits = cell.trim_start_matches(['+', '-']);
    let Some((int, frac)) = digits.split_once('.') else {
        return false;
    };
    (1..=3).contains(&int.len())
        && !int.starts_with('0')
        && frac.len() == 3
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

impl Table {
    /// Index of a column by its header.
    pub fn column_index(&self, name: &str, shown: &str) -> Result<usize, String> {
        let mut found = self.headers.iter().enumerate().filter(|(_, h)| *h == name);
        match (found.next(), found.next()) {
            (Some((i, _)), None) => Ok(i),
            (Some(_), Some(_)) => Err(format!(
                "`{shown}` has more than one column named `{name}`; name the columns"
            )),
            (None, _) => Err(format!(
                "`{shown}` has no column `{name}`; its columns are {}",
                self.headers
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Every cell of column `index` as a number.
    pub fn numbers(&self, index: usize, shown: &str) -> Result<Vec<f64>, String> {
        let name = &self.headers[index];
        let values = self
            .rows
            .iter()
            .map(|(line, cells)| {
                let cell = cells.get(index).map_or("", String::as_str);
                if cell.is_empty() {
                    return Err(format!(
                        "`{shown}` line {line}: column `{name}` is empty; every row needs a number there (delete the row if it has no value)"
                    ));
                }
                match cell.parse::<f64>() {
                    Ok(x) if x.is_finite() => Ok(x),
                    _ if looks_separated(cell) =>
                    {
                        Err(format!(
                            "`{shown}` line {line}: column `{name}` holds `{cell}`: thousands separators and decimal commas are not read, so that no number is misread; write plain numbers with a dot as the decimal mark (1234.5)"
                        ))
                    }
                    _ => Err(format!(
                        "`{shown}` line {line}: column `{name}` holds `{cell}`, which is not a number"
                    )),
                }
            })
            .collect::<Result<Vec<f64>, String>>()?;
        if self.delimiter != b',' {
            let mut dotted = self
                .rows
                .iter()
                .filter_map(|(line, cells)| Some((line, cells.get(index)?)))
                .filter(|(_, c)| c.contains('.'));
            let first = dotted.next();
            if let Some((line, cell)) = first
                && looks_grouped(cell)
                && dotted.all(|(_, c)| looks_grouped(c))
            {
                return Err(format!(
                    "`{shown}` line {line}: column `{name}` holds `{cell}`, which in a file separated by {} may be {plain} written with a thousands separator, and no cell of the column settles it; write numbers without thousands separators ({plain}), or separate the fields with commas",
                    if self.delimiter == b';' {
                        "semicolons"
                    } else {
                        "tabs"
                    },
                    plain = cell.replace('.', ""),
                ));
            }
        }
        Ok(values)
    }

    /// The line in the file of data row `row` (0-based, as in [`Table::numbers`]).
    pub fn line(&self, row: usize) -> u64 {
        self.rows[row].0
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers of one column of a CSV file.
    fn read_column(path: &Path, shown: &str, column: &str) -> Result<Vec<f64>, String> {
        let table = read_table(path, shown)?;
        let index = table.column_index(column, shown)?;
        table.numbers(index, shown)
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    #[test]
    fn reads_a_column_with_any_common_delimiter() {
        for text in [
            "project,hours\nA,120\nB, 80.5\nC,1e2\n\n",
            "project;hours\nA;120\nB;80.5\nC;1e2\n",
            "project\thours\nA\t120\nB\t80.5\nC\t1e2\n",
            "\u{feff}project,hours\r\nA,120\r\nB,80.5\r\nC,1e2\r\n",
        ] {
            let f = file(text);
            let got = read_column(f.path(), "h.csv", "hours").unwrap();
            assert_eq!(got, vec![120.0, 80.5, 100.0], "{text:?}");
        }
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let f = file("project,hours\nA,120\nB,lots\nC,90\n");
        let e = read_column(f.path(), "h.csv", "hours").unwrap_err();
        assert_eq!(
            e,
            "`h.csv` line 3: column `hours` holds `lots`, which is not a number"
        );
        let f = file("project,hours\nA,120\nB,\nC,90\n");
        let e = read_column(f.path(), "h.csv", "hours").unwrap_err();
        assert!(
            e.starts_with("`h.csv` line 3: column `hours` is empty"),
            "{e}"
        );
        // A short row is ragged, whichever column is read.
        let f = file("project,hours\nA,120\nB,90\nC\n");
        let e = read_column(f.path(), "h.csv", "project").unwrap_err();
        assert_eq!(e, "`h.csv` line 4: 1 field where the header has 2");
        let f = file("project,hours\nA,120\n");
        let e = read_column(f.path(), "h.csv", "hour").unwrap_err();
        assert_eq!(
            e,
            "`h.csv` has no column `hour`; its columns are `project`, `hours`"
        );
        let e = read_column(Path::new("/no/such/dir/h.csv"), "h.csv", "hours").unwrap_err();
        assert!(e.starts_with("file `h.csv` not found"), "{e}");
        let f = file("project,hours\nA,inf\n");
        assert!(read_column(f.path(), "h.csv", "hours").is_err());
    }

    #[test]
    fn a_number_with_a_thousands_separator_or_decimal_comma_is_refused() {
        // Unquoted in a comma file: two fields, so a ragged row.
        for (text, line) in [
            ("project,hours\nA,120\nB,1,234.5\n", 3),
            ("project,hours\nA,1.234,5\n", 2),
        ] {
            let e = read_column(file(text).path(), "h.csv", "hours").unwrap_err();
            assert!(
                e.starts_with(&format!(
                    "`h.csv` line {line}: 3 fields where the header has 2; a number written with a thousands separator"
                )),
                "{e}"
            );
        }
        // Quoted, or in a semicolon file: one cell that is refused.
        for (text, cell) in [
            ("project,hours\nA,\"1,234.5\"\n", "1,234.5"),
            ("project;hours\nA;1.234,5\n", "1.234,5"),
            ("project;hours\nA;12,5\n", "12,5"),
            ("project;hours\nA;1 234\n", "1 234"),
            ("project;hours\nA;1'234\n", "1'234"),
        ] {
            let e = read_column(file(text).path(), "h.csv", "hours").unwrap_err();
            assert_eq!(
                e,
                format!(
                    "`h.csv` line 2: column `hours` holds `{cell}`: thousands separators and decimal commas are not read, so that no number is misread; write plain numbers with a dot as the decimal mark (1234.5)"
                )
            );
        }
    }

    #[test]
    fn a_dot_that_may_group_thousands_is_read_only_when_the_column_settles_it() {
        let ambiguous = file("project;hours\nA;1.234\nB;12.500\nC;40\n");
        let e = read_column(ambiguous.path(), "h.csv", "hours").unwrap_err();
        assert!(
            e.starts_with("`h.csv` line 2: column `hours` holds `1.234`, which in a file separated by semicolons may be 1234 written with a thousands separator"),
            "{e}"
        );
        // Another cell shows that the dot is a decimal mark.
        let settled = file("project;hours\nA;1.234\nB;0.5\nC;40\n");
        let got = read_column(settled.path(), "h.csv", "hours").unwrap();
        assert_eq!(got, vec![1.234, 0.5, 40.0]);
        // With commas as delimiter, a dot is always the decimal mark.
        let tabs = file("project\thours\nA\t1.234\nB\t12.500\n");
        let e = read_column(tabs.path(), "h.csv", "hours").unwrap_err();
        assert!(e.contains("in a file separated by tabs may be 1234"), "{e}");
        let comma = file("project,hours\nA,1.234\nB,12.500\n");
        let got = read_column(comma.path(), "h.csv", "hours").unwrap();
        assert_eq!(got, vec![1.234, 12.5]);
    }

    #[test]
    fn column_names_must_be_unique() {
        let f = file("hours,project,hours\n1,A,2\n");
        let e = read_table(f.path(), "h.csv").unwrap_err();
        assert_eq!(
            e,
            "`h.csv` has two columns named `hours` (columns 1 and 3); rename one, so that it is clear which one is meant"
        );
        // Unnamed columns (trailing delimiters) are no clash until one is asked for.
        let f = file("hours,,\n1,,\n");
        let t = read_table(f.path(), "h.csv").unwrap();
        assert_eq!(
            t.numbers(t.column_index("hours", "h.csv").unwrap(), "h.csv")
                .unwrap(),
            vec![1.0]
        );
        assert!(
            t.column_index("", "h.csv")
                .unwrap_err()
                .contains("more than one column")
        );
    }

    #[test]
    fn only_regular_files_of_bounded_size_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_table(dir.path(), "d").unwrap_err();
        assert_eq!(e, "`d` is a directory; it must be a CSV file");
        #[cfg(unix)]
        {
            let e = read_table(Path::new("/dev/zero"), "z").unwrap_err();
            assert_eq!(e, "`z` is a device; it must be a CSV file");
            // A FIFO with no writer: opening it would block forever.
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let e = read_table(&fifo, "f").unwrap_err();
                assert_eq!(e, "`f` is a named pipe (FIFO); it must be a CSV file");
            }
        }
        // A sparse file just above the limit is refused without reading it.
        let big = dir.path().join("big.csv");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let e = read_table(&big, "big.csv").unwrap_err();
        assert_eq!(
            e,
            "`big.csv` is larger than 64 MiB, the most a history file may hold"
        );
    }
}
