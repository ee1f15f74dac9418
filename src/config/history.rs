//! Reads past experience from CSV files: columns of numbers for empirical
//! quantities and for `crm-roi fit`.
//!
//! A file has a header row naming its columns. The delimiter is a comma, a
//! semicolon or a tab, whichever splits the header row (spreadsheets in
//! many countries save CSV with semicolons); when more than one does, the
//! one at which every row fits the header, and a file that fits two is
//! refused. The reading is strict, so that no number is ever misread (the
//! rules are in `docs/scenario-format.md`, "Empirical quantities"):
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
//!   semicolons or tabs, or of one column (the locale is unknown), where
//!   `1.234` may mean 1234, a column whose every dotted cell looks like a
//!   group of thousands is refused as ambiguous; a number beyond the
//!   doubles (`1e309`, `1e-400`) is refused, not read as infinity or 0;
//! - a missing, empty or non-numeric cell in a column that is read is an
//!   error naming the line and the column, never a silently skipped row
//!   (only blank lines are skipped); a quoted cell may not span lines (an
//!   unclosed quote would swallow the rows after it);
//! - lines are counted as an editor counts them, whatever the line ends.

use super::files::{self, ReadError};
use std::path::Path;

/// The largest file read, in bytes (64 MiB: millions of rows of history).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// A table of cells, with the line number of each row in the file.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    /// The field delimiter (`,`, `;` or tab); `None` in a file of one
    /// column, whose header has none.
    delimiter: Option<u8>,
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
            format!("`{shown}` is not UTF-8 text ({at} is not); save it as CSV UTF-8")
        }
        ReadError::Io(e) => format!("cannot read `{shown}`: {e}"),
    })
}

/// The delimiters a history file may use.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// A CSV reader of `text` with `delimiter`: quotes respected, cells
/// trimmed, rows of any length (ragged rows are refused by the caller,
/// with the line).
fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
}

/// A whitespace-only line, which the reader gives as one empty cell.
fn is_blank(record: &csv::StringRecord) -> bool {
    record.len() == 1 && record[0].is_empty()
}

/// Whether every row of `text` split at `delimiter` has as many cells as
/// its header row (and reads at all).
fn fits(text: &str, delimiter: u8) -> bool {
    let mut width = None;
    for record in reader(text, delimiter).records() {
        let Ok(record) = record else { return false };
        if is_blank(&record) {
            continue;
        }
        if *width.get_or_insert(record.len()) != record.len() {
            return false;
        }
    }
    true
}

/// The delimiter of `text`: the one that splits its header row (quotes
/// respected), `None` when none does (one column). When the header splits
/// at more than one, the one at which every row fits the header; a file
/// that fits more than one is refused, since it would be read one way
/// or the other by chance (`Cost, EUR;Benefit, EUR` over rows `1,5;2,25`
/// fits both commas and semicolons).
fn delimiter_of(text: &str, shown: &str) -> Result<Option<u8>, String> {
    let splits = |d: u8| {
        let mut records = reader(text, d).into_records();
        records
            .find(|r| !r.as_ref().is_ok_and(is_blank))
            .and_then(Result::ok)
            .is_some_and(|header| header.len() > 1)
    };
    let name = |d: u8| match d {
        b'\t' => "tab".to_string(),
        d => format!("`{}`", d as char),
    };
    let splitting: Vec<u8> = DELIMITERS.into_iter().filter(|&d| splits(d)).collect();
    if splitting.len() <= 1 {
        return Ok(splitting.first().copied());
    }
    let fitting: Vec<u8> = splitting
        .iter()
        .copied()
        .filter(|&d| fits(text, d))
        .collect();
    match fitting[..] {
        [d] => Ok(Some(d)),
        _ => Err(format!(
            "`{shown}`: its header row can be split at {}, and {}; put the column names that hold a delimiter in quotes (\"Cost, EUR\"), so that the delimiter is clear",
            splitting
                .iter()
                .map(|&d| name(d))
                .collect::<Vec<_>>()
                .join(" and at "),
            if fitting.is_empty() {
                "no way gives every row as many cells as the header".to_string()
            } else {
                format!(
                    "every row fits the header both ways ({})",
                    fitting
                        .iter()
                        .map(|&d| name(d))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        )),
    }
}

/// Line numbers of byte offsets in `text`, asked for in increasing order:
/// the csv crate's own line count is off after blank lines and with
/// `\r\n` or `\r` line ends, so lines are counted here, any of the three
/// ends counting once.
struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the first byte at or after `offset` that does not end a
    /// line (the reader places a row after blank lines at their start).
    fn of(&mut self, offset: usize) -> u64 {
        let mut end = offset.min(self.text.len());
        while end < self.text.len() && matches!(self.text[end], b'\n' | b'\r') {
            end += 1;
        }
        self.line += line_ends(&self.text[self.at.min(end)..end]);
        self.at = self.at.max(end);
        self.line
    }
}

/// Line ends in `bytes`: `\n`, `\r\n` and a lone `\r` count once each.
fn line_ends(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Reads a whole CSV file. Errors are plain sentences naming the file.
pub fn read_table(path: &Path, shown: &str) -> Result<Table, String> {
    let text = read_text(path, shown)?;
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = delimiter_of(text, shown)?;
    let mut lines = Lines::new(text);
    let line_end = if text.contains('\n') { '\n' } else { '\r' };
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader(text, delimiter.unwrap_or(b',')).records() {
        let record = record.map_err(|e| format!("`{shown}`: {e}"))?;
        let line = lines.of(record.position().map_or(0, |p| p.byte() as usize));
        if is_blank(&record) {
            continue; // a blank line, such as a trailing one
        }
        // An unclosed quote runs a cell to the next quote or to the end of
        // the file, taking the rows in between with it. (A lone `\r` in a
        // file whose lines end in `\n` is a control character in a cell,
        // shown escaped, not a line end.)
        if let Some(cell) = record.iter().find(|c| c.contains(line_end)) {
            return Err(format!(
                "`{shown}` line {line}: a quoted cell runs over {} lines; is a closing `\"` missing? A cell of a history file stays on its line",
                line_ends(cell.as_bytes()) + 1
            ));
        }
        let Some(headers) = &headers else {
            let names: Vec<String> = record.iter().map(str::to_string).collect();
            check_names(&names, shown)?;
            headers = Some(names);
            continue;
        };
        if record.len() != headers.len() {
            let hint = if record.len() > headers.len() && delimiter == Some(b',') {
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
    let Some(headers) = headers else {
        return Err(format!(
            "`{shown}` is empty; it needs a header row naming its columns"
        ));
    };
    Ok(Table {
        headers,
        delimiter,
        rows,
    })
}

/// Refuses a header row without names, or with a name twice.
fn check_names(headers: &[String], shown: &str) -> Result<(), String> {
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
    Ok(())
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
                    Ok(x) if x.is_infinite() && cell.contains(|c: char| c.is_ascii_digit()) => {
                        Err(format!(
                            "`{shown}` line {line}: column `{name}` holds `{cell}`, which is too large to compute with (beyond {:e})",
                            f64::MAX
                        ))
                    }
                    Ok(_) if super::locate::reads_as_zero(cell) => Err(format!(
                        "`{shown}` line {line}: column `{name}` holds `{cell}`, which is {}",
                        super::locate::below_the_doubles()
                    )),
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
        if self.delimiter != Some(b',') {
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
                let (file, or) = match self.delimiter {
                    Some(b';') => (
                        "a file separated by semicolons",
                        "separate the fields with commas",
                    ),
                    Some(_) => (
                        "a file separated by tabs",
                        "separate the fields with commas",
                    ),
                    None => (
                        "a file of one column (which does not show whether commas or dots mark decimals)",
                        "give one cell another number of decimals (1.2340)",
                    ),
                };
                return Err(format!(
                    "`{shown}` line {line}: column `{name}` holds `{cell}`, which in {file} may be {plain} written with a thousands separator, and no cell of the column settles it; write numbers without thousands separators ({plain}), or {or}",
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

    /// The delimiter is the one that splits the header and fits every
    /// row; a file that fits two is refused rather than read by chance.
    #[test]
    fn the_delimiter_is_never_a_guess() {
        // Decimal commas in a semicolon file whose names hold commas: both
        // readings give every row as many cells as the header.
        let german = file("Kosten, EUR;Nutzen, EUR\n1,5;2,25\n2,5;3,5\n");
        let e = read_table(german.path(), "de.csv").unwrap_err();
        assert!(
            e.starts_with("`de.csv`: its header row can be split at `,` and at `;`, and every row fits the header both ways"),
            "{e}"
        );
        // Quoted names make it clear; the decimal commas are then refused.
        let quoted = file("\"Kosten, EUR\";\"Nutzen, EUR\"\n1,5;2,25\n");
        let e = read_column(quoted.path(), "de.csv", "Kosten, EUR").unwrap_err();
        assert!(
            e.contains("holds `1,5`: thousands separators and decimal commas"),
            "{e}"
        );
        // A comma in a name of a semicolon file: only `;` fits the rows.
        let named = file("project;cost, EUR\nA;100\nB;250.5\n");
        let got = read_column(named.path(), "h.csv", "cost, EUR").unwrap();
        assert_eq!(got, vec![100.0, 250.5]);
        // Blank lines before the header.
        let blank = file("\n  \nx;y\n1;2\n3;4\n");
        assert_eq!(
            read_column(blank.path(), "h.csv", "y").unwrap(),
            vec![2.0, 4.0]
        );
    }

    /// An unclosed quote would swallow the rows after it into one cell.
    #[test]
    fn a_cell_may_not_span_lines() {
        let mut text = String::from("x,note\n");
        for i in 1..=12 {
            text.push_str(&format!("{i},ok\n"));
        }
        text.push_str("13,\"unterminated\n");
        for i in 14..=30 {
            text.push_str(&format!("{i},ok\n"));
        }
        let e = read_column(file(&text).path(), "uq.csv", "x").unwrap_err();
        assert_eq!(
            e,
            "`uq.csv` line 14: a quoted cell runs over 18 lines; is a closing `\"` missing? A cell of a history file stays on its line"
        );
        // The same with `\r` line ends.
        let e = read_column(file(&text.replace('\n', "\r")).path(), "uq.csv", "x").unwrap_err();
        assert!(
            e.starts_with("`uq.csv` line 14: a quoted cell runs over 18 lines"),
            "{e}"
        );
        // A `\r` inside a quoted name of a file of `\n` lines is a
        // character of the name.
        let got = read_column(file("\"a\rb\",y\n1,2\n").path(), "h.csv", "a\rb").unwrap();
        assert_eq!(got, vec![1.0]);
    }

    /// Lines as an editor counts them, with `\r\n`, `\r` or `\n` ends and
    /// blank lines (the csv crate's own count is off in each case).
    #[test]
    fn lines_are_counted_as_an_editor_counts_them() {
        for text in [
            "x,n\r\n1,a\r\nbad,c\r\n",
            "x,n\r1,a\rbad,c\r",
            "x,n\n1,a\nbad,c\n",
            "\u{feff}x,n\r\n1,a\r\nbad,c",
        ] {
            let e = read_column(file(text).path(), "h.csv", "x").unwrap_err();
            assert!(
                e.starts_with("`h.csv` line 3: column `x` holds `bad`"),
                "{text:?}: {e}"
            );
        }
        let e = read_column(file("x,n\n1,a\n\n\n\nbad,b\n").path(), "h.csv", "x").unwrap_err();
        assert!(e.starts_with("`h.csv` line 6:"), "{e}");
        let e = read_column(file("\r\n\r\nx,n\r\n1\r\n").path(), "h.csv", "x").unwrap_err();
        assert_eq!(e, "`h.csv` line 4: 1 field where the header has 2");
    }

    /// Only blank lines are skipped: a row of empty cells is an empty cell
    /// of the column read; numbers beyond the doubles are refused.
    #[test]
    fn empty_rows_and_numbers_beyond_the_doubles_are_refused() {
        let e = read_column(file("x,y\n1,2\n,\n3,4\n").path(), "h.csv", "x").unwrap_err();
        assert!(e.starts_with("`h.csv` line 3: column `x` is empty"), "{e}");
        let e = read_column(file("x,y\n1,2\n\"\",\" \"\n").path(), "h.csv", "y").unwrap_err();
        assert!(e.starts_with("`h.csv` line 3: column `y` is empty"), "{e}");
        let e = read_column(file("x\n1e-400\n1\n").path(), "h.csv", "x").unwrap_err();
        assert_eq!(
            e,
            "`h.csv` line 2: column `x` holds `1e-400`, which is too small to be told from 0 (below 5e-324)"
        );
        let e = read_column(file("x\n1\n-1e309\n").path(), "h.csv", "x").unwrap_err();
        assert_eq!(
            e,
            "`h.csv` line 3: column `x` holds `-1e309`, which is too large to compute with (beyond 1.7976931348623157e308)"
        );
        // Zeros, the least subnormal and the largest double are numbers.
        let got = read_column(
            file("x\n0\n-0.0\n0e-999\n5e-324\n1.7976931348623157e308\n").path(),
            "h.csv",
            "x",
        );
        assert_eq!(got.unwrap(), vec![0.0, 0.0, 0.0, 5e-324, f64::MAX]);
    }

    /// A file of one column shows no delimiter, so its locale is as
    /// unknown as a semicolon file's.
    #[test]
    fn a_one_column_file_settles_a_dot_like_a_semicolon_file() {
        let e = read_column(file("x\n1.000\n2.000\n3.500\n").path(), "h.csv", "x").unwrap_err();
        assert!(
            e.starts_with(
                "`h.csv` line 2: column `x` holds `1.000`, which in a file of one column"
            ),
            "{e}"
        );
        assert!(
            e.ends_with("or give one cell another number of decimals (1.2340)"),
            "{e}"
        );
        let got = read_column(file("x\n1.000\n2.5\n").path(), "h.csv", "x").unwrap();
        assert_eq!(got, vec![1.0, 2.5]);
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
