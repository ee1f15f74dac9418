//! Reads past experience from CSV files: columns of numbers for empirical
//! quantities and for `crm-roi fit`.
//!
//! A file has a header row naming its columns. The delimiter is a comma, a
//! semicolon or a tab, whichever the header row uses most (spreadsheets in
//! many countries save CSV with semicolons). Cells are plain numbers
//! (`1234.5`, `-3`, `1e4`, surrounding spaces ignored); a missing, empty or
//! non-numeric cell in a column that is read is an error naming the line and
//! the column, never a silently skipped row.

use std::path::Path;

/// A table of cells, with the line number of each row in the file.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    /// (line, cells) per data row.
    rows: Vec<(u64, Vec<String>)>,
}

/// Reads a whole CSV file. Errors are plain sentences naming the file.
pub fn read_table(path: &Path, shown: &str) -> Result<Table, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!("file `{shown}` not found (looked for {})", path.display())
        } else {
            format!("cannot read `{shown}`: {e}")
        }
    })?;
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
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
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
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("`{shown}`: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue; // a blank line, such as a trailing one
        }
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(Table { headers, rows })
}

impl Table {
    /// Index of a column by its header.
    pub fn column_index(&self, name: &str, shown: &str) -> Result<usize, String> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            format!(
                "`{shown}` has no column `{name}`; its columns are {}",
                self.headers
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    /// Every cell of column `index` as a number.
    pub fn numbers(&self, index: usize, shown: &str) -> Result<Vec<f64>, String> {
        let name = &self.headers[index];
        self.rows
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
                    _ => Err(format!(
                        "`{shown}` line {line}: column `{name}` holds `{cell}`, which is not a number"
                    )),
                }
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The numbers of one column of a CSV file.
pub fn read_column(path: &Path, shown: &str, column: &str) -> Result<Vec<f64>, String> {
    let table = read_table(path, shown)?;
    let index = table.column_index(column, shown)?;
    table.numbers(index, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let f = file("project,hours\nA,120\nB,\nC\n");
        let e = read_column(f.path(), "h.csv", "hours").unwrap_err();
        assert!(
            e.starts_with("`h.csv` line 3: column `hours` is empty"),
            "{e}"
        );
        let f = file("project,hours\nA,120\nB,90\nC\n");
        let e = read_column(f.path(), "h.csv", "hours").unwrap_err();
        assert!(
            e.starts_with("`h.csv` line 4: column `hours` is empty"),
            "{e}"
        );
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
}
