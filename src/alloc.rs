//! The global allocator of the `symflow` binary (and of the benchmarks, so
//! that their figures are the binary's): mimalloc 2.
//!
//! The `mimalloc` crate's allocator asks mimalloc for every block with the
//! alignment the layout names (`mi_malloc_aligned`), which costs about 30
//! instructions more per call than plain `mi_malloc` even when the alignment
//! is one that every block has anyway. Loading the 1,000-flow corpus makes
//! about 340,000 allocations: that is 10 million instructions, a twelfth of
//! the load. This allocator calls `mi_malloc` for the alignments mimalloc
//! always gives (a machine word or less: every size class is a whole number
//! of words and every page starts word-aligned) and the aligned calls for
//! the rest.
//!
//! The only `unsafe` code of the crate: implementing `GlobalAlloc` cannot be
//! done without it.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc,
    mi_zalloc_aligned,
};

/// mimalloc, without the alignment wrapper where it is not needed.
pub struct Allocator;

/// The alignment every mimalloc block has.
const WORD: usize = std::mem::size_of::<usize>();

impl Allocator {
    #[inline]
    fn plain(layout: Layout) -> bool {
        layout.align() <= WORD
    }
}

/// mimalloc's calls for a new block: without and with an alignment.
struct NewBlock {
    plain: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut c_void,
}

const MALLOC: NewBlock = NewBlock {
    plain: mi_malloc,
    aligned: mi_malloc_aligned,
};

const ZALLOC: NewBlock = NewBlock {
    plain: mi_zalloc,
    aligned: mi_zalloc_aligned,
};

/// A new block for `layout` by `calls`: the plain call when mimalloc aligns
/// enough by itself, else the aligned one. (The calls are constants: once
/// inlined, each is a direct call.)
///
/// # Safety
///
/// `layout.size()` is not zero, as `GlobalAlloc` callers guarantee.
#[inline]
unsafe fn new_block(layout: Layout, calls: &NewBlock) -> *mut u8 {
    // SAFETY: FFI calls with a non-zero size and a power-of-two alignment.
    unsafe {
        if Allocator::plain(layout) {
            (calls.plain)(layout.size()).cast()
        } else {
            (calls.aligned)(layout.size(), layout.align()).cast()
        }
    }
}

// SAFETY: every method hands the layout's size (and, when the alignment is
// larger than a word, the alignment) to the mimalloc call made for it, so a
// returned block is at least `layout.size()` bytes aligned to
// `layout.align()`, or null on failure, as `GlobalAlloc` requires. Blocks are
// freed and resized only by mimalloc, which accepts any block it made
// whatever call made it.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller guarantees a non-zero size.
        unsafe { new_block(layout, &MALLOC) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller guarantees a non-zero size.
        unsafe { new_block(layout, &ZALLOC) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` was returned by one of the calls above (the caller
        // guarantees it) and is freed once.
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` is a live block of `layout` made by this allocator
        // and `new_size` is non-zero (the caller guarantees both); mimalloc
        // keeps the block's contents up to the smaller size.
        unsafe {
            if Self::plain(layout) {
                mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Allocator;
    use std::alloc::Layout;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).expect("layout")
    }

    #[test]
    fn only_word_alignments_take_the_plain_calls() {
        assert!(Allocator::plain(layout(1, 1)));
        assert!(Allocator::plain(layout(24, 8)));
        assert!(Allocator::plain(layout(4, 4)));
        assert!(!Allocator::plain(layout(16, 16)));
        assert!(!Allocator::plain(layout(64, 64)));
        assert!(!Allocator::plain(layout(4096, 4096)));
    }
}
