//! Keyword counts of an index part, kept in the part's own Parquet footer.
//!
//! In: an index frame about to be written ([`of_frame`]), or an index file ([`read`]). Out: per
//! source, the part's postings and the postings that mention each keyword id
//! ([`PartCounts`]), stored as JSON under the footer key [`KEY`] (file-level key-value metadata,
//! which Spark, DuckDB and pyarrow ignore and show with the schema).
//!
//! Counting analyses (`trends`, and every reading without facts or a duplicates plan) then read
//! a few kilobytes of footer per part instead of decoding its `keywords` column: on 10 copies of
//! the HN corpus (1,000 index parts) decoding and counting the rows was most of `trends`' time.
//!
//! The counts are written with the rows, in the same atomic write, from the same frame, so they
//! cannot disagree with them; a reader still trusts them only when they add up to the footer's
//! row count. A part without them (written before they existed, or by another tool) is read row
//! by row as before. A part whose footer cannot be read is read row by row too, which rebuilds a
//! damaged file. A data page damaged after the write is not noticed by a counting read (the
//! counts are those of the rows as written); `jobtrend verify` reads every page.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

/// The footer key of the counts.
pub const KEY: &str = "jobtrend.counts";

/// One index part's counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartCounts {
    /// Rows of the part (checked against the footer's row count when read).
    pub rows: u64,
    /// Source name (`""` for a row without one) → its counts.
    pub sources: BTreeMap<String, SourceCounts>,
}

/// One source's counts in a part.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceCounts {
    pub postings: u64,
    /// Keyword id → postings of this source in the part whose `keywords` list holds it (once per
    /// value, as a row-by-row count sees it). Keywords never found are left out.
    pub keywords: BTreeMap<String, u64>,
}

/// Maps keyed by short strings, hashed with foldhash.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Counts an index frame (columns `source` and `keywords`). Runs at every index write, so it
/// walks the flat list values ([`crate::analysis::read::Lists`]), counts in hash maps sorted once
/// at the end (with ordered maps at every value this was 0.7% of an ingest's samples in `perf
/// record`, 2026-12-04, mostly string comparisons) and owns a name only once per source and
/// keyword, not once per value.
pub fn of_frame(df: &DataFrame) -> Result<PartCounts, PolarsError> {
    let source = df.column("source")?.str()?;
    let keywords = crate::analysis::read::Lists::new(df.column("keywords")?.list()?)?;
    let mut by_source: HashMap<&str, (u64, HashMap<&str, u64>)> = HashMap::default();
    for (i, s) in source.iter().enumerate() {
        let (postings, kws) = by_source.entry(s.unwrap_or("")).or_insert_with(|| (0, HashMap::default()));
        *postings += 1;
        for k in keywords.row(i) {
            *kws.entry(k).or_default() += 1;
        }
    }
    let sources = by_source
        .into_iter()
        .map(|(s, (postings, kws))| {
            let keywords = kws.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
            (s.to_string(), SourceCounts { postings, keywords })
        })
        .collect();
    Ok(PartCounts { rows: df.height() as u64, sources })
}

/// The footer entry of a frame's counts.
pub fn footer_entry(df: &DataFrame) -> Result<(String, String), PolarsError> {
    let counts = of_frame(df)?;
    let json = serde_json::to_string(&counts).map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
    Ok((KEY.to_string(), json))
}

/// The counts in an index file's footer: `Ok(None)` when it has none or they do not add up to its
/// row count; `Err` (the reason) when the footer cannot be read.
pub fn read(path: &Path) -> Result<Option<PartCounts>, String> {
    let footer = footer_bytes(path)?;
    let mut reader = ParquetReader::new(std::io::Cursor::new(footer));
    let meta = reader.get_metadata().map_err(|e| e.to_string())?;
    let Some(value) = meta
        .key_value_metadata()
        .as_ref()
        .and_then(|kv| kv.iter().find(|kv| kv.key == KEY))
        .and_then(|kv| kv.value.as_deref())
    else {
        return Ok(None);
    };
    let Ok(counts) = serde_json::from_str::<PartCounts>(value) else { return Ok(None) };
    let sum: u64 = counts.sources.values().map(|c| c.postings).sum();
    Ok((counts.rows == meta.num_rows as u64 && sum == counts.rows).then_some(counts))
}

/// A Parquet file's footer (metadata, its length, `PAR1`) behind a `PAR1` header: the smallest
/// byte string Polars reads metadata from. Polars would read the last 64 KiB of the file, most of
/// a small index part; this reads the 8-byte tail, then the footer.
fn footer_bytes(path: &Path) -> Result<Vec<u8>, String> {
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut tail = [0u8; 8];
    if len < 12 || file.read_exact_at(&mut tail, len - 8).is_err() || &tail[4..] != b"PAR1" {
        return Err(format!("not a complete Parquet file ({len} bytes, no PAR1 at the end)"));
    }
    let meta_len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if meta_len + 12 > len {
        return Err(format!("footer of {meta_len} bytes in a file of {len}"));
    }
    let mut buf = vec![0u8; 4 + meta_len as usize + 8];
    buf[..4].copy_from_slice(b"PAR1");
    file.read_exact_at(&mut buf[4..], len - meta_len - 8).map_err(|e| e.to_string())?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> DataFrame {
        let mut kw = ListStringChunkedBuilder::new("keywords".into(), 4, 8);
        kw.append_values_iter(["rust", "go"].into_iter());
        kw.append_values_iter(["rust"].into_iter());
        kw.append_null();
        kw.append_values_iter(["go"].into_iter());
        let source = Column::new("source".into(), [Some("hn"), Some("hn"), None, Some("greenhouse")]);
        DataFrame::new(4, vec![source, Column::from(kw.finish().into_series())]).unwrap()
    }

    #[test]
    fn counts_postings_and_keywords_per_source() {
        let c = of_frame(&frame()).unwrap();
        assert_eq!(c.rows, 4);
        let hn = &c.sources["hn"];
        assert_eq!(hn.postings, 2);
        assert_eq!(hn.keywords, BTreeMap::from([("go".to_string(), 1), ("rust".to_string(), 2)]));
        assert_eq!(c.sources[""].postings, 1);
        assert!(c.sources[""].keywords.is_empty());
        assert_eq!(c.sources["greenhouse"].keywords["go"], 1);
    }

    #[test]
    fn footer_round_trip_and_checks() {
        let dir = tempfile::tempdir().unwrap();
        let mut df = frame();
        let with = dir.path().join("with.parquet");
        let entry = footer_entry(&df).unwrap();
        ParquetWriter::new(std::fs::File::create(&with).unwrap())
            .with_key_value_metadata(Some(KeyValueMetadata::from_static(vec![entry])))
            .finish(&mut df)
            .unwrap();
        assert_eq!(read(&with).unwrap(), Some(of_frame(&df).unwrap()));
        // Still a plain Parquet file for other readers.
        assert_eq!(ParquetReader::new(std::fs::File::open(&with).unwrap()).finish().unwrap(), df);

        let without = dir.path().join("without.parquet");
        ParquetWriter::new(std::fs::File::create(&without).unwrap()).finish(&mut df).unwrap();
        assert_eq!(read(&without).unwrap(), None);

        // Counts that do not add up to the file's rows are not trusted.
        let mut wrong = of_frame(&df).unwrap();
        wrong.sources.get_mut("hn").unwrap().postings += 1;
        let lying = dir.path().join("lying.parquet");
        let json = serde_json::to_string(&wrong).unwrap();
        ParquetWriter::new(std::fs::File::create(&lying).unwrap())
            .with_key_value_metadata(Some(KeyValueMetadata::from_static(vec![(KEY.to_string(), json)])))
            .finish(&mut df)
            .unwrap();
        assert_eq!(read(&lying).unwrap(), None);

        let broken = dir.path().join("broken.parquet");
        std::fs::write(&broken, b"PAR1 not a parquet file").unwrap();
        assert!(read(&broken).is_err());
    }
}
