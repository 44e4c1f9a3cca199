//! The dataset's write lock, `<data>/lock`.
//!
//! In: a data directory. Out: a [`DataLock`] (an advisory exclusive `flock` held for the life of
//! the value, the holder's pid written inside), or [`StoreError::Locked`] naming the holder; and
//! [`writer_active`], a probe for readers that never takes the lock itself (a reader briefly
//! holding a shared lock could make a starting writer exit 3).

use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{StoreError, io_err};

/// The held lock; released when dropped (or when the process dies, by the kernel).
#[derive(Debug)]
pub struct DataLock {
    _file: File,
    path: PathBuf,
}

impl DataLock {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Takes `<data>/lock` (creating `data_dir`): waits for it when `wait`, else fails with
/// [`StoreError::Locked`] naming the holder's pid.
pub fn lock(data_dir: &Path, wait: bool) -> Result<DataLock, StoreError> {
    fs::create_dir_all(data_dir).map_err(io_err(data_dir))?;
    let path = data_dir.join("lock");
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_err(&path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) if wait => {
            tracing::warn!("waiting for another run's lock on {}", path.display());
            file.lock().map_err(io_err(&path))?;
        }
        Err(fs::TryLockError::WouldBlock) => {
            let pid = holder_pid(&mut file);
            return Err(StoreError::Locked { pid, path });
        }
        Err(fs::TryLockError::Error(e)) => return Err(io_err(&path)(e)),
    }
    file.set_len(0).map_err(io_err(&path))?;
    file.seek(SeekFrom::Start(0)).map_err(io_err(&path))?;
    writeln!(file, "{}", std::process::id()).map_err(io_err(&path))?;
    file.flush().map_err(io_err(&path))?;
    Ok(DataLock { _file: file, path })
}

fn holder_pid(file: &mut File) -> String {
    let mut pid = String::new();
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.read_to_string(&mut pid);
    let pid = pid.trim();
    if pid.is_empty() { "unknown".to_string() } else { pid.to_string() }
}

/// The pid of a live writer holding `<data>/lock`, or `None` when nobody writes (or the data
/// directory has no lock file). Non-blocking, and it never takes the lock: on Linux it looks the
/// lock file's inode up in `/proc/locks`; elsewhere it tries a shared lock and drops it at once.
pub fn writer_active(data_dir: &Path) -> Option<String> {
    let path = data_dir.join("lock");
    let mut file = File::open(&path).ok()?;
    if held_exclusively(&file, &path)? { Some(holder_pid(&mut file)) } else { None }
}

/// `Some(true)` when an exclusive lock is held on the file, `None` when that cannot be told.
#[cfg(target_os = "linux")]
fn held_exclusively(_file: &File, path: &Path) -> Option<bool> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path).ok()?;
    let dev = meta.dev();
    let want = format!("{:02x}:{:02x}:{}", libc::major(dev), libc::minor(dev), meta.ino());
    let locks = fs::read_to_string("/proc/locks").ok()?;
    // "1: FLOCK  ADVISORY  WRITE 1895 fe:00:10117129 0 EOF" (blocked waiters are "-> FLOCK ...").
    Some(locks.lines().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.len() >= 6 && f[1] == "FLOCK" && f[3] == "WRITE" && f[5] == want
    }))
}

#[cfg(not(target_os = "linux"))]
fn held_exclusively(file: &File, _path: &Path) -> Option<bool> {
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            Some(false)
        }
        Err(fs::TryLockError::WouldBlock) => Some(true),
        Err(fs::TryLockError::Error(_)) => None,
    }
}
