// The C library, imported in one place; every other file uses the wrappers in Platform/.
#if canImport(Glibc)
  @_exported import Glibc
#elseif canImport(Musl)
  @_exported import Musl
#elseif canImport(Darwin)
  @_exported import Darwin
#else
  #error("unsupported platform")
#endif
