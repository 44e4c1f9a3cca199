//! Atomic file writes that honour the umask.
//!
//! In: a destination path and the bytes (or a temp file the caller fills). Out: the file at its
//! destination, replaced in one `rename`, with the mode a plain `File::create` would give it
//! (0666 minus the umask: 0644 under umask 022, 0640 under 027). `tempfile` alone creates 0600
//! files, which a web server serving `report --out /var/www/jobtrend` cannot read.
//!
//! Every writer of the project goes through here: part files ([`crate::store`]), the network
//! state ([`crate::sources::net::State`]), report files ([`crate::report::Report::write`]) and
//! index parts.

use std::io::Write;
use std::path::Path;

use tempfile::NamedTempFile;

/// A temp file in `dir` named `<prefix>XXXXXX<suffix>`, created with mode 0666 so that the
/// kernel applies the umask exactly as for any new file (no umask read, no race with threads).
pub fn temp_file_in(dir: &Path, prefix: &str, suffix: &str) -> std::io::Result<NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix).suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}

/// [`temp_file_in`], creating `dir` and its parents first when it does not exist. It tries the file
/// first: nearly every part file goes to a month directory that exists already, and a `mkdir` of an
/// existing directory before each one was 0.7% of an ingest's samples in `perf record` (2026-12-04).
pub fn temp_file_in_new_dir(dir: &Path, prefix: &str, suffix: &str) -> std::io::Result<NamedTempFile> {
    match temp_file_in(dir, prefix, suffix) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)?;
            temp_file_in(dir, prefix, suffix)
        }
        other => other,
    }
}

/// Flushes `tmp` to disk and renames it over `dest` (same directory, so the rename is atomic).
pub fn persist_atomic(tmp: NamedTempFile, dest: &Path) -> std::io::Result<()> {
    tmp.as_file().sync_all()?;
    tmp.persist(dest).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `bytes` to `dest` atomically: a hidden temp file `.<name>.XXXXXX.tmp` beside it, fsync,
/// rename. A reader sees the old file or the new one, never a part; a crash leaves at most a
/// `.tmp` file behind.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut tmp = temp_file_in(dir, &format!(".{name}."), ".tmp")?;
    tmp.write_all(bytes)?;
    persist_atomic(tmp, dest)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_temp_file_in_a_new_dir_creates_the_dir_and_its_parents() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("postings").join("month=2024-03");
        assert!(temp_file_in(&dir, ".part-", ".tmp").is_err());
        let tmp = temp_file_in_new_dir(&dir, ".part-", ".tmp").unwrap();
        assert_eq!(tmp.path().parent(), Some(dir.as_path()));
        // The directory exists now: the next file goes straight in.
        let again = temp_file_in_new_dir(&dir, ".part-", ".tmp").unwrap();
        assert_ne!(again.path(), tmp.path());
        // A path under a file is an error, not a loop.
        let file = root.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        assert!(temp_file_in_new_dir(&file.join("sub"), ".part-", ".tmp").is_err());
    }

    #[test]
    fn written_files_replace_the_old_and_leave_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["a.txt"]);
        // Group/other bits never exceed what 0666 allows, and the owner can read and write.
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o600, 0o600, "{mode:o}");
        assert_eq!(mode & 0o111, 0, "{mode:o}");
    }
}
