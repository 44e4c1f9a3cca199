//! Parquet encoding of a frame, with a plain encoding for the columns whose values are all distinct.
//!
//! In: a frame, a writer, the compression and the footer's key-value pairs. Out: one Parquet file (its row
//! groups at most [`ROW_GROUP_ROWS`] rows), the Arrow schema in the footer as Polars writes it.
//!
//! Why not Polars' `ParquetWriter`: it tries a dictionary for every string column and, to decide, estimates
//! the column's cardinality with a HyperLogLog sketch that hashes every value. For [`PLAIN_COLUMNS`] (ids,
//! URLs, posting text, hashes: one distinct value per row) the sketch always says no; in a `perf record` of
//! an ingest of the saved HN pages (2026-12-03) it took 3.6% of the samples. Here those columns are written
//! plain and every other column as Polars would (its `get_encodings`), through the same `polars-parquet`
//! writer. Unlike Polars' writer this one encodes the columns one after another, not in parallel: an ingest
//! writes several parts at once, and the text column is most of every part's bytes.

use std::io::Write;

use polars::prelude::*;
use polars_buffer::Buffer;
use polars_io::parquet::write::{StatisticsOptions, get_encodings};
use polars_parquet::write::{
    CompressionOptions, Encoding, FileWriter, KeyValue, Version, WriteOptions, row_group_iter, schema_to_metadata_key,
};

/// Columns written with the plain encoding: their values are distinct per row in every dataset file.
pub const PLAIN_COLUMNS: &[&str] = &["id", "url", "text", "content_hash", "repost_key"];

/// Most rows in one row group (Polars' own default).
pub const ROW_GROUP_ROWS: usize = 512 * 512;

/// Writes `df` to `w` as Parquet with `compression` and the `footer` pairs after the Arrow schema.
pub fn write_parquet<W: Write>(
    df: &mut DataFrame,
    w: W,
    compression: CompressionOptions,
    footer: Vec<(String, String)>,
) -> PolarsResult<u64> {
    df.align_chunks_par();
    let schema = df.schema().to_arrow(CompatLevel::newest());
    let encodings: Vec<Vec<Encoding>> =
        get_encodings(&schema)
            .iter()
            .zip(schema.iter_values())
            .map(|(enc, field)| {
                if PLAIN_COLUMNS.contains(&field.name.as_str()) {
                    vec![Encoding::Plain; enc.len()]
                } else {
                    enc.clone()
                }
            })
            .collect();
    let encodings = Buffer::from(encodings);
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        version: Version::V1,
        compression,
        data_page_size: None,
    };
    let mut writer = FileWriter::try_new(w, schema, options)?;
    let fields = writer.parquet_schema().fields().to_vec();
    let mut offset = 0;
    while offset < df.height() {
        let slice = df.slice(offset as i64, ROW_GROUP_ROWS);
        offset += slice.height();
        for batch in slice.iter_chunks(CompatLevel::newest(), false) {
            let rows = batch.len() as u64;
            writer.write(rows, row_group_iter(batch, encodings.clone(), fields.clone(), options))?;
        }
    }
    let mut kv = vec![schema_to_metadata_key(writer.schema())];
    kv.extend(footer.into_iter().map(|(key, value)| KeyValue { key, value: Some(value) }));
    writer.end(Some(kv))
}

#[cfg(test)]
mod tests {
    use polars_parquet::read::read_metadata;

    use super::*;

    #[test]
    fn plain_columns_skip_the_dictionary_and_the_file_reads_back_whole() {
        // Two values each: Polars would give both columns a dictionary; `id` is plain by name.
        let n = ROW_GROUP_ROWS + 1;
        let vals: Vec<&str> = (0..n).map(|i| if i % 2 == 0 { "a" } else { "b" }).collect();
        let mut df = df!("id" => &vals, "source" => &vals, "n" => (0..n as i64).collect::<Vec<_>>()).unwrap();
        let path = std::env::temp_dir().join(format!("jobtrend-encode-{}.parquet", std::process::id()));
        let footer = vec![("jobtrend.test".to_string(), "42".to_string())];
        write_parquet(&mut df, std::fs::File::create(&path).unwrap(), CompressionOptions::Snappy, footer).unwrap();

        let meta = read_metadata(&mut std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(meta.row_groups.iter().map(|g| g.num_rows()).collect::<Vec<_>>(), [ROW_GROUP_ROWS, 1]);
        let dict = |g: usize, c: usize| meta.row_groups[g].parquet_columns()[c].dictionary_page_offset().is_some();
        assert!(!dict(0, 0), "id is written plain");
        assert!(dict(0, 1), "source keeps Polars' dictionary");
        let keys: Vec<&str> = meta.key_value_metadata.iter().flatten().map(|kv| kv.key.as_str()).collect();
        assert_eq!(keys, ["ARROW:schema", "jobtrend.test"]);

        let back = ParquetReader::new(std::fs::File::open(&path).unwrap()).finish().unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(back.equals(&df));
    }
}
