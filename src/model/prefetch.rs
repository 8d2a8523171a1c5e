//! Hints that memory will be read soon. A storm's alerts are tens of megabytes spread
//! over the heap: triage's passes over them wait on memory, not on arithmetic, and a
//! hint given a few alerts ahead lets those waits overlap the work.
// CPU intrinsics have no safe form.
#![allow(unsafe_code)]

/// Asks the CPU to bring the `len` bytes at `at` into cache. Only a hint: nothing is
/// read, and it does nothing where it is not supported.
#[inline(always)]
pub(crate) fn prefetch(at: *const u8, len: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: SSE is part of every x86-64 CPU, and a prefetch never faults, whatever
        // the address.
        let hint = |p: *const u8| unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast()) };
        let mut offset = 0;
        while offset < len {
            hint(at.wrapping_add(offset));
            offset += 64;
        }
        if len > 0 {
            // The last line, when `at` does not start one.
            hint(at.wrapping_add(len - 1));
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (at, len);
}

/// [`prefetch`] for the whole of the value at `at`.
#[inline(always)]
pub(crate) fn prefetch_value<T>(at: *const T) {
    prefetch(at.cast(), std::mem::size_of::<T>());
}
