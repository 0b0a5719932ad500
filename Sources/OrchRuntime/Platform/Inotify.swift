import CSpawn
import SystemPackage

#if os(Linux)
  /// The inotify syscalls, each wrapped once: EINTR retried here, errno read on the next line.
  ///
  /// Plain functions over an `Int32` rather than a descriptor type, because the watcher's
  /// backend owns the descriptor and shares it with the event loop, as other sources do.
  enum Inotify {
    /// One decoded `struct inotify_event`.
    struct Event: Sendable, Equatable {
      var watch: Int32
      var mask: UInt32
      var cookie: UInt32
      /// The entry's name inside the watched directory; empty for events about the directory.
      var name: String
    }

    /// Event bits, as the kernel spells them, in the type the decoded mask uses.
    enum Mask {
      static let closeWrite = UInt32(IN_CLOSE_WRITE)
      static let attributes = UInt32(IN_ATTRIB)
      static let created = UInt32(IN_CREATE)
      static let deleted = UInt32(IN_DELETE)
      static let movedFrom = UInt32(IN_MOVED_FROM)
      static let movedTo = UInt32(IN_MOVED_TO)
      static let deletedSelf = UInt32(IN_DELETE_SELF)
      static let movedSelf = UInt32(IN_MOVE_SELF)
      static let unmounted = UInt32(IN_UNMOUNT)
      static let overflow = UInt32(IN_Q_OVERFLOW)
      static let ignored = UInt32(IN_IGNORED)
      static let isDirectory = UInt32(IN_ISDIR)
      static let onlyDirectory = UInt32(IN_ONLYDIR)
      static let dontFollow = UInt32(IN_DONT_FOLLOW)
      static let excludeUnlinked = UInt32(IN_EXCL_UNLINK)
    }

    /// Opens a non-blocking, close-on-exec inotify instance.
    static func open() -> Result<Int32, Errno> {
      let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
      guard fd >= 0 else { return .failure(Errno(rawValue: errno)) }
      return .success(fd)
    }

    /// Watches the directory at `path`; the watch descriptor, which is the same one again when
    /// the inode is already watched.
    static func addWatch(_ fd: Int32, path: String, mask: UInt32) -> Result<Int32, Errno> {
      while true {
        let watch = inotify_add_watch(fd, path, mask)
        if watch >= 0 { return .success(watch) }
        let error = errno
        if error != EINTR { return .failure(Errno(rawValue: error)) }
      }
    }

    /// Removes a watch; failure only means the kernel already dropped it.
    static func removeWatch(_ fd: Int32, _ watch: Int32) {
      _ = inotify_rm_watch(fd, watch)
    }

    /// Reads queued events into `buffer`; the byte count, 0 when nothing is queued.
    static func read(_ fd: Int32, into buffer: inout [UInt8]) -> Result<Int, Errno> {
      while true {
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n >= 0 { return .success(n) }
        let error = errno
        if error == EAGAIN || error == EWOULDBLOCK { return .success(0) }
        if error != EINTR { return .failure(Errno(rawValue: error)) }
      }
    }

    /// Closes the instance, which drops every watch at once.
    static func close(_ fd: Int32) {
      _ = Glibc.close(fd)
    }

    /// The size of a buffer that always holds at least one event (header plus longest name).
    static let largestEvent = MemoryLayout<inotify_event>.size + Int(NAME_MAX) + 1

    /// Decodes the first `count` bytes of `buffer` into events, appending to `events`.
    static func decode(_ buffer: [UInt8], count: Int, into events: inout [Event]) {
      let header = MemoryLayout<inotify_event>.size
      buffer.withUnsafeBytes { raw in
        var offset = 0
        while offset + header <= count {
          let watch = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
          let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
          let cookie = raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
          let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
          let start = offset + header
          guard start + length <= count else { return }
          // The name is NUL-padded to `length`.
          var end = start
          while end < start + length, raw[end] != 0 { end += 1 }
          let name = String(
            decoding: UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: UTF8.self)
          events.append(Event(watch: watch, mask: mask, cookie: cookie, name: name))
          offset = start + length
        }
      }
    }
  }
#endif
