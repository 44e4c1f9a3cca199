//! A streaming WARC record reader that survives broken records.
//!
//! In: any byte stream (a file, an HTTP body) holding a WARC file, plain or gzipped — gzip as
//! Common Crawl publishes it (one gzip member per record) or as one member for the whole file.
//! Out: one [`Event`] per record — its headers and, when the caller asks for it and it fits the
//! cap, its block — or per broken record/member, with its offset and the reason. The stream is
//! read once, front to back, with bounded memory (a block is only held when it is wanted and
//! not larger than the cap; others are skipped as they stream by).
//!
//! Offsets: for gzipped input, the offset of the gzip member the record starts in (the
//! `offset` of Common Crawl's CDX index); for plain input, of the record's version line.
//!
//! Recovery:
//! - a malformed record (no `WARC/` version line, no `Content-Length`, a block cut short) is
//!   reported; the reader then looks for the next line that starts with `WARC/1.` in the same
//!   (decompressed) stream;
//! - the records of a gzip member are passed on once the member ended with a good checksum (up
//!   to [`MAX_PENDING`] bytes of blocks; past that, as they come);
//! - a broken gzip member (truncated, bad CRC, corrupt deflate data) is reported once, whatever
//!   was decoded of it is dropped, and the reader
//!   restarts at the next gzip header (`1f 8b 08`) after the member's start, using the
//!   compressed bytes it kept of that member (up to [`MAX_KEPT`]), so a member cut short in the
//!   middle of a file loses only its own record.
//!
//! No WARC crate is used: the `warc` crate (0.4) reads gzip through one multi-member decoder and
//! stops at the first error, has no resynchronisation and no offsets, and buffers every block
//! whole; recovery per record is the point here, so the header parser (a few dozen lines) is
//! written out.

use std::io::{self, BufRead, BufReader, Read};

/// Compressed bytes of one gzip member kept for resynchronisation after an error.
pub const MAX_KEPT: usize = 32 << 20;
/// Block bytes of one gzip member's records held until the member's checksum is verified
/// (a Common Crawl member is one record); past this, records are passed on unverified.
pub const MAX_PENDING: usize = 64 << 20;
/// Longest header section of a record.
const MAX_HEADER_BYTES: usize = 256 << 10;
const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// The headers of one record that the ingest uses.
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// `WARC-Type`, lower-cased (`response`, `request`, `revisit`, `warcinfo`, ...).
    pub record_type: String,
    pub target_uri: Option<String>,
    /// `WARC-Date` as written.
    pub date: Option<String>,
    pub content_type: Option<String>,
    /// `WARC-Identified-Payload-Type` (Common Crawl's detected MIME type).
    pub identified_payload_type: Option<String>,
    pub content_length: u64,
}

/// One thing found in the stream.
#[derive(Debug)]
pub enum Event {
    /// A well-formed record; `block` is `Some` when the caller wanted it and it fit the cap.
    Record { number: usize, offset: u64, header: Header, block: Option<Vec<u8>>, too_large: bool },
    /// A record or gzip member that could not be read, and why.
    Broken { number: usize, offset: u64, reason: String },
}

/// What the caller wants of a record, decided from its headers.
pub type WantBlock<'a> = &'a mut dyn FnMut(&Header) -> bool;

/// Reads every record of `input`, calling `on` for each event; `want` decides which blocks are
/// kept (those up to `cap` bytes). Returns the number of bytes read from `input`, or an I/O
/// error of the input itself (a failed read of a plain file or of a download).
pub fn read_warc(
    input: Box<dyn Read + Send + '_>,
    cap: u64,
    want: WantBlock<'_>,
    on: &mut dyn FnMut(Event) -> bool,
) -> io::Result<u64> {
    let mut t = Tracked::new(input);
    let mut r =
        Reader { cap, number: 0, want, on, stopped: false, pending: Vec::new(), pending_bytes: 0, buffering: false };
    let head = t.peek(2)?;
    if head.starts_with(&GZIP_MAGIC[..2]) {
        r.gzip(&mut t)?;
    } else {
        let mut start = t.pos;
        let mut first = None;
        loop {
            match r.stream(&mut t, start, first.take()) {
                Ok(()) => break,
                Err(StreamError::Io(e)) => return Err(e),
                Err(StreamError::Resync { line, at }) => {
                    first = Some(line);
                    start = at;
                }
            }
        }
    }
    Ok(t.pos)
}

enum StreamError {
    /// The underlying stream failed (gzip data, or the input itself).
    Io(io::Error),
    /// A record was broken and reported; the next version line starts at `at`.
    Resync { line: Vec<u8>, at: u64 },
}

struct Reader<'a, 'b> {
    cap: u64,
    number: usize,
    want: WantBlock<'a>,
    on: &'b mut dyn FnMut(Event) -> bool,
    stopped: bool,
    /// Events of the gzip member being read, passed on once it ended cleanly.
    pending: Vec<Event>,
    pending_bytes: usize,
    buffering: bool,
}

impl Reader<'_, '_> {
    fn emit(&mut self, ev: Event) {
        if self.buffering {
            if let Event::Record { block: Some(b), .. } = &ev {
                self.pending_bytes += b.len();
            }
            self.pending.push(ev);
            if self.pending_bytes > MAX_PENDING {
                self.buffering = false;
                self.flush_pending();
            }
        } else if !self.stopped {
            self.stopped = !(self.on)(ev);
        }
    }

    fn flush_pending(&mut self) {
        self.pending_bytes = 0;
        for ev in std::mem::take(&mut self.pending) {
            if !self.stopped {
                self.stopped = !(self.on)(ev);
            }
        }
    }

    /// Reads the records of one stream (a plain file, or one gzip member). `first` is a version
    /// line already read by a resynchronisation; `offset` where the next record starts.
    fn stream<R: BufRead + Positioned>(
        &mut self,
        r: &mut R,
        offset: u64,
        mut first: Option<Vec<u8>>,
    ) -> Result<(), StreamError> {
        let mut offset = offset;
        loop {
            if self.stopped {
                return Ok(());
            }
            let at = r.position().unwrap_or(offset);
            let start = if first.is_some() { offset } else { at };
            match self.record(r, first.take()) {
                Ok(None) => return Ok(()),
                Ok(Some(ev)) => {
                    let ev = match ev {
                        Event::Record { number, header, block, too_large, .. } => {
                            Event::Record { number, offset: start, header, block, too_large }
                        }
                        other => other,
                    };
                    self.emit(ev);
                }
                Err(RecordError::Io(e)) => return Err(StreamError::Io(e)),
                Err(RecordError::Format(reason)) => {
                    self.emit(Event::Broken { number: self.number, offset: start, reason });
                    match next_version_line(r).map_err(StreamError::Io)? {
                        None => return Ok(()),
                        Some((line, at)) => {
                            // Positioned streams (plain input) resync from their own offset.
                            return Err(StreamError::Resync { line, at: at.unwrap_or(offset) });
                        }
                    }
                }
            }
            offset = r.position().unwrap_or(offset);
        }
    }

    /// One record: `Ok(None)` at the end of the stream.
    fn record<R: BufRead>(&mut self, r: &mut R, first: Option<Vec<u8>>) -> Result<Option<Event>, RecordError> {
        let version = match first {
            Some(l) => l,
            None => {
                let mut line = Vec::new();
                loop {
                    line.clear();
                    if read_line(r, &mut line, MAX_HEADER_BYTES)? == 0 {
                        return Ok(None);
                    }
                    if !trim_eol(&line).is_empty() {
                        break;
                    }
                }
                line
            }
        };
        self.number += 1;
        let number = self.number;
        if !version.starts_with(b"WARC/") {
            let shown = String::from_utf8_lossy(&trim_eol(&version)[..trim_eol(&version).len().min(40)]).into_owned();
            return Err(RecordError::Format(format!("expected a WARC/1.x version line, found {shown:?}")));
        }
        let header = read_header(r)?;
        let len = header.content_length;
        let wanted = (self.want)(&header);
        let too_large = wanted && len > self.cap;
        let block = if wanted && !too_large {
            let mut buf = Vec::with_capacity(len as usize);
            let n = r.take(len).read_to_end(&mut buf).map_err(RecordError::Io)?;
            if (n as u64) < len {
                return Err(truncated(n as u64, len));
            }
            Some(buf)
        } else {
            let n = io::copy(&mut r.take(len), &mut io::sink()).map_err(RecordError::Io)?;
            if n < len {
                return Err(truncated(n, len));
            }
            None
        };
        // The two CRLFs that end a record (tolerated when missing or bare LFs).
        for _ in 0..4 {
            let next = r.fill_buf().map_err(RecordError::Io)?.first().copied();
            match next {
                Some(b'\r' | b'\n') => r.consume(1),
                _ => break,
            }
        }
        Ok(Some(Event::Record { number, offset: 0, header, block, too_large }))
    }

    /// Every gzip member of the input, each decoded and read as a stream of records.
    fn gzip(&mut self, t: &mut Tracked<'_>) -> io::Result<()> {
        loop {
            if self.stopped || t.fill_buf()?.is_empty() {
                return Ok(());
            }
            let start = t.pos;
            if !is_gzip_header(t.peek(10)?) {
                self.number += 1;
                let reason = "not a gzip member here (expected the bytes 1f 8b 08)".to_string();
                self.emit(Event::Broken { number: self.number, offset: start, reason });
                t.skip_to_magic(1)?;
                continue;
            }
            t.keep = Some(Vec::new());
            self.buffering = true;
            let number_before = self.number;
            let res = {
                let mut dec = BufReader::with_capacity(256 << 10, flate2::bufread::GzDecoder::new(&mut *t));
                let mut res = Ok(());
                let mut first = None;
                loop {
                    match self.stream(&mut Unpositioned(&mut dec), start, first.take()) {
                        Ok(()) => break,
                        Err(StreamError::Io(e)) => {
                            res = Err(e);
                            break;
                        }
                        Err(StreamError::Resync { line, .. }) => first = Some(line),
                    }
                }
                // A member whose records were read in full still has to end cleanly.
                if res.is_ok() && !self.stopped {
                    res = io::copy(&mut dec, &mut io::sink()).map(|_| ());
                }
                res
            };
            match res {
                Ok(()) => {
                    t.keep = None;
                    self.buffering = false;
                    self.flush_pending();
                }
                Err(e) => {
                    if let Some(input_error) = t.failed_input.take() {
                        return Err(input_error);
                    }
                    // What was decoded of a broken member is not trusted: one report for it
                    // (unless it was passed on already, past MAX_PENDING).
                    self.number = if self.buffering { number_before + 1 } else { self.number.max(number_before + 1) };
                    self.buffering = false;
                    self.pending.clear();
                    self.pending_bytes = 0;
                    let reason = format!("broken gzip member: {}", gzip_reason(&e));
                    self.emit(Event::Broken { number: self.number, offset: start, reason });
                    t.resync_after(start)?;
                }
            }
        }
    }
}

fn gzip_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "truncated (the input ends inside it)".to_string(),
        _ => e.to_string(),
    }
}

fn truncated(n: u64, len: u64) -> RecordError {
    RecordError::Format(format!("block cut short: {n} of the {len} bytes of Content-Length"))
}

enum RecordError {
    Io(io::Error),
    Format(String),
}

impl From<io::Error> for RecordError {
    fn from(e: io::Error) -> Self {
        RecordError::Io(e)
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let mut l = line;
    while let [rest @ .., b'\r' | b'\n'] = l {
        l = rest;
    }
    l
}

/// Reads one line (up to and including `\n`), at most `max` bytes.
fn read_line<R: BufRead>(r: &mut R, out: &mut Vec<u8>, max: usize) -> Result<usize, RecordError> {
    let n = r.take(max as u64).read_until(b'\n', out)?;
    if n == max && out.last() != Some(&b'\n') {
        return Err(RecordError::Format(format!("a header line longer than {max} bytes")));
    }
    Ok(n)
}

/// The named fields, up to the empty line that ends the header section.
fn read_header<R: BufRead>(r: &mut R) -> Result<Header, RecordError> {
    let mut h = Header::default();
    let mut length: Option<u64> = None;
    let mut total = 0usize;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = read_line(r, &mut line, MAX_HEADER_BYTES)?;
        if n == 0 {
            return Err(RecordError::Format("the input ends inside the record's header".into()));
        }
        total += n;
        if total > MAX_HEADER_BYTES {
            return Err(RecordError::Format(format!("header longer than {MAX_HEADER_BYTES} bytes")));
        }
        let l = trim_eol(&line);
        if l.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(l);
        let Some((name, value)) = text.split_once(':') else {
            // A continuation line (folded header) or noise: ignored.
            continue;
        };
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "warc-type" => h.record_type = value.to_ascii_lowercase(),
            "warc-target-uri" => h.target_uri = Some(value.trim_matches(['<', '>']).to_string()),
            "warc-date" => h.date = Some(value),
            "content-type" => h.content_type = Some(value),
            "warc-identified-payload-type" => h.identified_payload_type = Some(value),
            "content-length" => {
                length = Some(value.parse().map_err(|_| RecordError::Format(format!("bad Content-Length {value:?}")))?)
            }
            _ => {}
        }
    }
    h.content_length = length.ok_or_else(|| RecordError::Format("no Content-Length header".into()))?;
    if h.record_type.is_empty() {
        return Err(RecordError::Format("no WARC-Type header".into()));
    }
    Ok(h)
}

/// Skips lines up to the next one that starts with `WARC/1.`; returns it and, for positioned
/// streams, the offset it starts at.
fn next_version_line<R: BufRead + Positioned>(r: &mut R) -> io::Result<Option<(Vec<u8>, Option<u64>)>> {
    let mut line = Vec::new();
    loop {
        line.clear();
        let at = r.position();
        // Long lines are read in pieces: a version line is short, so any piece will do.
        let n = r.take(64 << 10).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        if line.starts_with(b"WARC/1.") {
            return Ok(Some((line, at)));
        }
    }
}

/// A stream that may know its offset in the input.
trait Positioned {
    fn position(&self) -> Option<u64>;
}

/// A decompressed stream: offsets are those of its gzip member.
struct Unpositioned<'a, R>(&'a mut R);

impl<R: Read> Read for Unpositioned<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R: BufRead> BufRead for Unpositioned<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.0.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.0.consume(n)
    }
}

impl<R> Positioned for Unpositioned<'_, R> {
    fn position(&self) -> Option<u64> {
        None
    }
}

/// The input, with its offset, bytes pushed back for re-reading, and (while `keep` is set) a
/// copy of the bytes consumed, for resynchronising after a broken gzip member.
struct Tracked<'a> {
    inner: BufReader<Box<dyn Read + Send + 'a>>,
    replay: Vec<u8>,
    rpos: usize,
    /// Offset of the next byte served.
    pos: u64,
    keep: Option<Vec<u8>>,
    /// An error of the input itself (not of the data), kept to tell it from a gzip error.
    failed_input: Option<io::Error>,
}

impl<'a> Tracked<'a> {
    fn new(input: Box<dyn Read + Send + 'a>) -> Self {
        Tracked {
            inner: BufReader::with_capacity(1 << 20, input),
            replay: Vec::new(),
            rpos: 0,
            pos: 0,
            keep: None,
            failed_input: None,
        }
    }

    /// The next `n` bytes (fewer at the end of the input), without consuming them.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.rpos > 0 {
            self.replay.drain(..self.rpos);
            self.rpos = 0;
        }
        while self.replay.len() < n {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min(n - self.replay.len());
            self.replay.extend_from_slice(&buf[..take]);
            self.inner.consume(take);
        }
        Ok(&self.replay[..self.replay.len().min(n)])
    }

    /// Skips at least `min` bytes, then up to the next gzip header (or the end).
    fn skip_to_magic(&mut self, min: usize) -> io::Result<()> {
        let mut skipped = 0usize;
        loop {
            let head = self.peek(10)?;
            if head.len() < 10 {
                let n = head.len();
                self.consume(n);
                return Ok(());
            }
            if skipped >= min && is_gzip_header(head) {
                return Ok(());
            }
            let buf = self.fill_buf()?;
            let step = memchr::memchr(GZIP_MAGIC[0], &buf[1..]).map_or(buf.len(), |i| i + 1);
            self.consume(step);
            skipped += step;
        }
    }

    /// After a broken member that started at `start`: restarts at the next gzip header after
    /// `start`, re-reading the kept bytes of the member first.
    fn resync_after(&mut self, start: u64) -> io::Result<()> {
        match self.keep.take() {
            Some(kept) if !kept.is_empty() => {
                let mut rest = kept;
                let from = memchr::memmem::find_iter(&rest[1..], &GZIP_MAGIC)
                    .map(|i| i + 1)
                    .find(|&i| rest.len() - i < 10 || is_gzip_header(&rest[i..]));
                match from {
                    Some(i) => {
                        rest.drain(..i);
                        rest.extend_from_slice(&self.replay[self.rpos..]);
                        self.pos = start + i as u64;
                        self.replay = rest;
                        self.rpos = 0;
                        Ok(())
                    }
                    None => {
                        // Keep the last bytes: a header may start across the boundary.
                        let tail = rest.len().saturating_sub(9);
                        let mut back = rest.split_off(tail);
                        back.extend_from_slice(&self.replay[self.rpos..]);
                        self.pos = start + tail as u64;
                        self.replay = back;
                        self.rpos = 0;
                        self.skip_to_magic(1)
                    }
                }
            }
            _ => self.skip_to_magic(1),
        }
    }
}

impl Read for Tracked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let src = self.fill_buf()?;
        let n = src.len().min(buf.len());
        buf[..n].copy_from_slice(&src[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Tracked<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.rpos < self.replay.len() {
            return Ok(&self.replay[self.rpos..]);
        }
        match self.inner.fill_buf() {
            Ok(b) => Ok(b),
            Err(e) => {
                // Remembered so that the gzip loop reports it as the input's failure.
                let kind = e.kind();
                let msg = e.to_string();
                self.failed_input = Some(e);
                Err(io::Error::new(kind, msg))
            }
        }
    }

    fn consume(&mut self, n: usize) {
        if self.rpos < self.replay.len() {
            let n = n.min(self.replay.len() - self.rpos);
            if !keep_bytes(&mut self.keep, &self.replay[self.rpos..self.rpos + n]) {
                self.keep = None;
            }
            self.rpos += n;
            if self.rpos == self.replay.len() {
                self.replay.clear();
                self.rpos = 0;
            }
            self.pos += n as u64;
            return;
        }
        let b = self.inner.buffer();
        if !keep_bytes(&mut self.keep, &b[..n.min(b.len())]) {
            self.keep = None;
        }
        self.inner.consume(n);
        self.pos += n as u64;
    }
}

impl Positioned for Tracked<'_> {
    fn position(&self) -> Option<u64> {
        Some(self.pos)
    }
}

/// A plausible gzip member header: the magic, deflate, no reserved flag bits, a known XFL and
/// OS byte (so that `1f 8b 08` inside compressed data is rarely taken for a member).
fn is_gzip_header(b: &[u8]) -> bool {
    b.len() >= 10
        && b[..3] == GZIP_MAGIC
        && b[3] & 0xe0 == 0
        && matches!(b[8], 0 | 2 | 4)
        && (b[9] <= 13 || b[9] == 255)
}

/// Keeps consumed bytes of a member up to [`MAX_KEPT`]; `false` past that (the caller then
/// drops the copy, and resynchronisation scans forward from where the decoder stopped instead).
fn keep_bytes(keep: &mut Option<Vec<u8>>, b: &[u8]) -> bool {
    match keep {
        Some(k) if k.len() + b.len() <= MAX_KEPT => {
            k.extend_from_slice(b);
            true
        }
        Some(_) => false,
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, body: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: http://example.com/{kind}\r\nWARC-Date: 2024-05-01T00:00:00Z\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn gz(b: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    fn events(input: Vec<u8>) -> (Vec<String>, io::Result<u64>) {
        let mut out = Vec::new();
        let res =
            read_warc(Box::new(io::Cursor::new(input)), 1 << 20, &mut |h| h.record_type == "response", &mut |e| {
                out.push(match e {
                    Event::Record { number, offset, header, block, .. } => format!(
                        "{number}@{offset} {} {}",
                        header.record_type,
                        block.map_or("-".to_string(), |b| String::from_utf8_lossy(&b).into_owned())
                    ),
                    Event::Broken { number, offset, reason } => format!("{number}@{offset} BROKEN {reason}"),
                });
                true
            });
        (out, res)
    }

    #[test]
    fn plain_records_with_a_broken_one_between() {
        let mut input = record("warcinfo", b"software: test");
        let second = input.len();
        input.extend_from_slice(b"WARC/1.0\r\nWARC-Type: response\r\n\r\nno length here\r\n\r\n");
        let third = input.len();
        input.extend(record("response", b"HTTP/1.1 200 OK\r\n\r\n<p>hi"));
        let (ev, res) = events(input.clone());
        assert_eq!(
            ev,
            vec![
                "1@0 warcinfo -".to_string(),
                format!("2@{second} BROKEN no Content-Length header"),
                format!("3@{third} response HTTP/1.1 200 OK\r\n\r\n<p>hi"),
            ]
        );
        assert_eq!(res.unwrap(), input.len() as u64);
    }

    #[test]
    fn gzip_members_survive_a_truncated_one_in_the_middle() {
        let a = gz(&record("request", b"GET / HTTP/1.1\r\n\r\n"));
        let b = gz(&record("response", b"HTTP/1.1 200 OK\r\n\r\nlost"));
        let c = gz(&record("response", b"HTTP/1.1 200 OK\r\n\r\nkept"));
        let mut input = a.clone();
        input.extend_from_slice(&b[..b.len() / 2]);
        let c_at = input.len();
        input.extend_from_slice(&c);
        let (ev, res) = events(input.clone());
        assert_eq!(ev.len(), 3, "{ev:?}");
        assert_eq!(ev[0], "1@0 request -");
        assert!(ev[1].starts_with(&format!("2@{} BROKEN broken gzip member", a.len())), "{ev:?}");
        assert_eq!(ev[2], format!("3@{c_at} response HTTP/1.1 200 OK\r\n\r\nkept"));
        assert_eq!(res.unwrap(), input.len() as u64);
    }

    #[test]
    fn a_truncated_last_member_is_reported() {
        let a = gz(&record("response", b"HTTP/1.1 200 OK\r\n\r\none"));
        let mut input = a.clone();
        let b = gz(&record("response", b"HTTP/1.1 200 OK\r\n\r\ntwo"));
        input.extend_from_slice(&b[..b.len() - 6]);
        let (ev, _) = events(input);
        assert_eq!(ev[0], "1@0 response HTTP/1.1 200 OK\r\n\r\none");
        assert_eq!(ev[1], format!("2@{} BROKEN broken gzip member: truncated (the input ends inside it)", a.len()));
        assert_eq!(ev.len(), 2);
    }

    #[test]
    fn one_member_for_the_whole_file_and_garbage_between_members() {
        let mut plain = record("warcinfo", b"x");
        plain.extend(record("response", b"HTTP/1.1 200 OK\r\n\r\nwhole"));
        let mut input = gz(&plain);
        let junk_at = input.len();
        input.extend_from_slice(b"junk bytes");
        input.extend(gz(&record("revisit", b"")));
        let (ev, _) = events(input);
        assert_eq!(ev[0], "1@0 warcinfo -");
        assert_eq!(ev[1], "2@0 response HTTP/1.1 200 OK\r\n\r\nwhole");
        assert!(ev[2].starts_with(&format!("3@{junk_at} BROKEN not a gzip member")), "{ev:?}");
        assert_eq!(ev[3], format!("4@{} revisit -", junk_at + 10));
    }
}
