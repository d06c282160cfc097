import CJemalloc

/// The process's memory allocator: jemalloc, linked in place of the C library's malloc (see
/// `Package.swift` for why).
enum Allocator {
    /// jemalloc's version, read through `mallctl`; benchmarks report it. (This reference is also
    /// what keeps the linker from dropping the library as unneeded.)
    static var version: String {
        var pointer: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &pointer, &size, nil, 0) == 0, let pointer else { return "unknown" }
        return String(cString: pointer)
    }
}
