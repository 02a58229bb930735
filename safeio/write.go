package safeio

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// AtomicFile is a file being written in place of another: the data goes to
// a new file with a random name in the same directory, created exclusively
// (O_EXCL|O_NOFOLLOW, so a planted file or symlink is never opened, let
// alone followed) with mode 0600. Commit renames it over the target (a
// symlink at the target is replaced, not followed); Abort removes it.
// Readers of the target see the old file or the whole new one, never half.
type AtomicFile struct {
	*os.File
	target string
	done   bool
}

// CreateAtomic starts writing a replacement for path.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	for tries := 0; ; tries++ {
		var rnd [8]byte
		if _, err := rand.Read(rnd[:]); err != nil {
			return nil, err
		}
		tmp := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(rnd[:]))
		fd, err := unix.Open(tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		if err == nil {
			return &AtomicFile{File: os.NewFile(uintptr(fd), tmp), target: path}, nil
		}
		if !errors.Is(err, unix.EEXIST) || tries >= 10 {
			return nil, &os.PathError{Op: "create", Path: tmp, Err: err}
		}
	}
}

// Commit closes the file and renames it over the target.
func (f *AtomicFile) Commit() error {
	if f.done {
		return os.ErrClosed
	}
	f.done = true
	err := f.File.Close()
	if err == nil {
		err = os.Rename(f.File.Name(), f.target)
	}
	if err != nil {
		os.Remove(f.File.Name())
	}
	return err
}

// Abort closes and removes the file, leaving the target as it was; after
// Commit it does nothing, so it can be deferred.
func (f *AtomicFile) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.File.Name())
}

// WriteFileAtomic replaces path with data through an AtomicFile.
func WriteFileAtomic(path string, data []byte) error {
	f, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// PrivateDir makes dir (and missing parents) with mode 0700, and tightens an
// existing dir of zkc's own to 0700: it holds the shell's history.
func PrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return &os.PathError{Op: "mkdir", Path: dir, Err: unix.ENOTDIR}
	}
	if st.Mode().Perm() != 0o700 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}
