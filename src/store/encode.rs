//! Parquet encoding of a frame, with a plain encoding for the columns whose values are all distinct.
//!
//! In: a frame, a writer, the compression and the footer's key-value pairs. Out: one Parquet file (its row
//! groups at most [`ROW_GROUP_ROWS`] rows), the Arrow schema in the footer as Polars writes it.
//!
//! Why not Polars' `ParquetWriter`: it tries a dictionary for every string column and, to decide, estimates
//! the column's cardinality with a HyperLogLog sketch that hashes every value. For most of [`PLAIN_COLUMNS`]
//! (ids, URLs, posting text, hashes: one distinct value per row) the sketch always says no; in a `perf record`
//! of an ingest of the saved HN pages (2026-12-03) it took 3.6% of the samples. The others (title, company,
//! location) are smaller plain than with a dictionary once zstd has them. Here those columns are written
//! plain and every other column as Polars would (its `get_encodings`), through the same `polars-parquet`
//! writer. Unlike Polars' writer this one encodes the columns one after another, not in parallel: an ingest
//! writes several parts at once, and the text column is most of every part's bytes. Zstd pages are
//! compressed here too ([`ZstdPages`]), through one zstd context per thread instead of one per page.

use std::io::Write;

use polars::prelude::*;
use polars_io::parquet::write::{StatisticsOptions, get_encodings};
use polars_parquet::parquet::CowBuffer;
use polars_parquet::parquet::compression::Compression;
use polars_parquet::parquet::error::ParquetError;
use polars_parquet::parquet::page::{CompressedDictPage, DataPageHeader};
use polars_parquet::write::{
    CompressedDataPage, CompressedPage, CompressionOptions, Compressor, DynIter, DynStreamingIterator, Encoding,
    FallibleStreamingIterator, FileWriter, KeyValue, Page, ParquetType, RowGroupIterColumns, Version, WriteOptions,
    ZstdLevel, array_to_columns, compress, schema_to_metadata_key,
};

/// Columns written with the plain encoding: their values are distinct per row in every dataset file, or
/// nearly so. `title`, `company` and `location` repeat within a part, but zstd compresses them better
/// plain: the saved HN pages' three columns took 1.38 MB plain against 1.45 MB with dictionaries
/// (pyarrow, zstd level 1, part by part, 2026-12-04), and the sketch no longer hashes them.
pub const PLAIN_COLUMNS: &[&str] = &["id", "url", "text", "content_hash", "repost_key", "title", "company", "location"];

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
            writer.write(rows, row_group(batch.into_arrays(), &encodings, &fields, options))?;
        }
    }
    let mut kv = vec![schema_to_metadata_key(writer.schema())];
    kv.extend(footer.into_iter().map(|(key, value)| KeyValue { key, value: Some(value) }));
    writer.end(Some(kv))
}

/// The column chunks of one row group, one column at a time as Polars' `row_group_iter` makes them, except
/// that zstd pages are compressed by [`ZstdPages`].
fn row_group(
    arrays: Vec<ArrayRef>,
    encodings: &[Vec<Encoding>],
    fields: &[ParquetType],
    options: WriteOptions,
) -> RowGroupIterColumns<'static, PolarsError> {
    let columns = arrays.into_iter().zip(fields.to_vec()).zip(encodings.to_vec());
    DynIter::new(columns.flat_map(move |((array, type_), encoding)| {
        match array_to_columns(array, type_, options, &encoding) {
            Ok(chunks) => chunks.into_iter().map(|pages| Ok(compressed(pages, options.compression))).collect(),
            Err(e) => vec![Err(e)],
        }
    }))
}

fn compressed(
    pages: DynIter<'static, PolarsResult<Page>>,
    compression: CompressionOptions,
) -> DynStreamingIterator<'static, CompressedPage, PolarsError> {
    match compression {
        CompressionOptions::Zstd(level) => DynStreamingIterator::new(ZstdPages { pages, level, current: None }),
        other => {
            let pages = DynIter::new(pages.map(|p| p.map_err(|e| ParquetError::OutOfSpec(e.to_string()))));
            DynStreamingIterator::new(Compressor::new(pages, other, vec![]).map_err(compute_err))
        }
    }
}

/// The pages of one column chunk, compressed with zstd through one compression context per thread.
///
/// Polars' `Compressor` makes a new zstd context for every page (`zstd::bulk::compress_to_buffer`) and
/// zero-fills the output buffer to the compressed size's bound first. In a `perf record` of an ingest of
/// the saved HN pages (2026-12-04, mimalloc without huge pages) those two were about 3% of the samples:
/// Polars' `compress` took 14.9%, zstd's own `ZSTD_compress2` 11.8% of it. In 10 interleaved rounds
/// against the same code without this (3 s pause before each run), median wall 1.05 against 1.09 s and
/// median CPU 2.00 against 2.08 s, lower wall time in 6 of 10. A fresh ingest's postings and index
/// rows were those of the build before (pyarrow). The pages are zstd frames at the level asked for, as
/// Polars writes them; a test reads a file written this way back whole.
struct ZstdPages<I> {
    pages: I,
    /// As Polars gives it: `None` is zstd's default level.
    level: Option<ZstdLevel>,
    current: Option<CompressedPage>,
}

impl<I: Iterator<Item = PolarsResult<Page>>> FallibleStreamingIterator for ZstdPages<I> {
    type Item = CompressedPage;
    type Error = PolarsError;

    fn advance(&mut self) -> PolarsResult<()> {
        self.current = match self.pages.next() {
            Some(page) => Some(zstd_page(page?, self.level)?),
            None => None,
        };
        Ok(())
    }

    fn get(&self) -> Option<&CompressedPage> {
        self.current.as_ref()
    }
}

fn zstd_page(page: Page, level: Option<ZstdLevel>) -> PolarsResult<CompressedPage> {
    match page {
        Page::Data(p) if matches!(p.header(), DataPageHeader::V1(_)) => {
            let num_rows = p.num_rows().ok_or_else(|| polars_err!(ComputeError: "a data page without a row count"))?;
            let out = zstd_compress(p.buffer(), level)?;
            let header = p.header().clone();
            Ok(CompressedPage::Data(CompressedDataPage::new(
                header,
                CowBuffer::Owned(out),
                Compression::Zstd,
                p.buffer().len(),
                p.descriptor,
                num_rows,
            )))
        }
        Page::Dict(d) => {
            let out = zstd_compress(&d.buffer, level)?;
            Ok(CompressedPage::Dict(CompressedDictPage::new(
                CowBuffer::Owned(out),
                Compression::Zstd,
                d.buffer.len(),
                d.num_values,
                d.is_sorted,
            )))
        }
        // A version 2 page keeps its levels uncompressed; this writer writes version 1 only.
        page => compress(page, Vec::new(), CompressionOptions::Zstd(level)).map_err(compute_err),
    }
}

thread_local! {
    /// This thread's zstd context and its level.
    static ZSTD: std::cell::RefCell<Option<(i32, zstd::bulk::Compressor<'static>)>> =
        const { std::cell::RefCell::new(None) };
}

/// `src` as one zstd frame at `level` (`None`: zstd's default), through this thread's context.
fn zstd_compress(src: &[u8], level: Option<ZstdLevel>) -> PolarsResult<Vec<u8>> {
    let level = level.map_or(0, |l| l.compression_level());
    let mut out = Vec::with_capacity(zstd::zstd_safe::compress_bound(src.len()));
    ZSTD.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(l, _)| *l != level) {
            *cell = Some((level, zstd::bulk::Compressor::new(level)?));
        }
        let (_, ctx) = cell.as_mut().expect("set above");
        ctx.compress_to_buffer(src, &mut out)
    })
    .map_err(compute_err)?;
    Ok(out)
}

fn compute_err(e: impl std::fmt::Display) -> PolarsError {
    PolarsError::ComputeError(e.to_string().into())
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

    #[test]
    fn zstd_pages_through_one_context_read_back_whole() {
        // Plain and dictionary pages, several row groups, text long enough to compress, nulls: every page
        // goes through this thread's one zstd context, at two levels in turn.
        let n = ROW_GROUP_ROWS + 3;
        let text: Vec<Option<String>> = (0..n)
            .map(|i| (i % 7 != 0).then(|| format!("posting {i}: Rust, Go and Kafka; {}", "x".repeat(i % 50))))
            .collect();
        let source: Vec<&str> = (0..n).map(|i| ["hn", "greenhouse", "lever"][i % 3]).collect();
        let mut df = df!("id" => (0..n).map(|i| format!("hn:{i}")).collect::<Vec<_>>(), "source" => &source,
            "text" => &text, "n" => (0..n as i64).collect::<Vec<_>>())
        .unwrap();
        for level in [1, 3] {
            let path = std::env::temp_dir().join(format!("jobtrend-zstd-{}-{level}.parquet", std::process::id()));
            let zstd = CompressionOptions::Zstd(Some(ZstdLevel::try_new(level).unwrap()));
            write_parquet(&mut df, std::fs::File::create(&path).unwrap(), zstd, vec![]).unwrap();
            let meta = read_metadata(&mut std::fs::File::open(&path).unwrap()).unwrap();
            assert_eq!(meta.row_groups.len(), 2);
            assert!(meta.row_groups[0].parquet_columns()[1].dictionary_page_offset().is_some(), "a dictionary page");
            for g in &meta.row_groups {
                for c in g.parquet_columns() {
                    assert_eq!(c.compression(), Compression::Zstd);
                    assert!(c.compressed_size() < c.uncompressed_size() || c.uncompressed_size() < 100);
                }
            }
            let back = ParquetReader::new(std::fs::File::open(&path).unwrap()).finish().unwrap();
            std::fs::remove_file(&path).unwrap();
            assert!(back.equals_missing(&df), "level {level}");
        }
    }
}
