import OrchKit

/// Monotonic and wall-clock time, read once per use with `clock_gettime`.
public enum Clock {
  /// Now on CLOCK_MONOTONIC: for deadlines, never for display.
  public static func monotonicNow() -> Instant {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
  }

  /// Milliseconds since the epoch and the local UTC offset in seconds, for `--timestamps`.
  public static func wallClock() -> (milliseconds: Int64, utcOffset: Int) {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    var seconds = ts.tv_sec
    var local = tm()
    localtime_r(&seconds, &local)
    return (Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000, Int(local.tm_gmtoff))
  }
}
