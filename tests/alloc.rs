//! The global allocator (`symflow::alloc::Allocator`), installed for this
//! test binary, exercised through safe code: every block comes back aligned
//! as its type requires, sized, zeroed when asked, and resized with its
//! contents kept.

use std::collections::BTreeMap;

#[global_allocator]
static GLOBAL: symflow::alloc::Allocator = symflow::alloc::Allocator;

#[repr(align(16))]
#[derive(Clone, Copy, PartialEq, Debug)]
struct Align16(u8);

#[repr(align(64))]
#[derive(Clone, Copy, PartialEq, Debug)]
struct Align64(u8);

#[repr(align(4096))]
#[derive(Clone, Copy, PartialEq, Debug)]
struct AlignPage(u8);

fn aligned<T>(value: &T) -> bool {
    std::ptr::from_ref(value) as usize % std::mem::align_of::<T>() == 0
}

fn aligned_ptr<T>(p: *const T) -> bool {
    p as usize % std::mem::align_of::<T>() == 0
}

#[test]
fn blocks_have_the_alignment_of_their_type() {
    // Many of each, so that blocks come from all over mimalloc's pages.
    let mut keep: Vec<Box<dyn std::any::Any>> = Vec::new();
    for i in 0..2000u32 {
        let byte = Box::new(i as u8);
        let word = Box::new(u64::from(i));
        let wide = Box::new(u128::from(i));
        let a16 = Box::new(Align16(i as u8));
        let a64 = Box::new(Align64(i as u8));
        let three = Box::new([Align16(1); 3]);
        assert!(
            aligned(&*byte) && aligned(&*word) && aligned(&*wide),
            "at {i}"
        );
        assert!(
            aligned(&*a16) && aligned(&*a64) && aligned(&*three),
            "at {i}"
        );
        assert_eq!((*wide, a16.0, a64.0), (u128::from(i), i as u8, i as u8));
        keep.extend([byte as Box<dyn std::any::Any>, word, wide, a16, a64, three]);
    }
    let page = Box::new(AlignPage(7));
    assert!(aligned(&*page));
    assert_eq!(page.0, 7);
}

/// What the allocator counts on: mimalloc's plain calls give word-aligned
/// blocks whatever the size (they serve layouts aligned to a word or less).
#[test]
fn plain_blocks_of_every_small_size_are_word_aligned() {
    let word = std::mem::size_of::<usize>();
    let mut keep = Vec::new();
    for size in 1..=3000usize {
        let block: Vec<u8> = Vec::with_capacity(size);
        assert_eq!(block.as_ptr() as usize % word, 0, "a block of {size} bytes");
        keep.push(block);
    }
    for size in (3000..300_000usize).step_by(997) {
        let block: Vec<u8> = Vec::with_capacity(size);
        assert_eq!(block.as_ptr() as usize % word, 0, "a block of {size} bytes");
    }
}

#[test]
fn growing_and_shrinking_keeps_the_contents() {
    let mut bytes: Vec<u8> = Vec::new();
    let mut wide: Vec<Align64> = Vec::new();
    for i in 0..100_000usize {
        bytes.push(i as u8);
        if i % 10 == 0 {
            wide.push(Align64(i as u8));
            assert!(aligned_ptr(wide.as_ptr()));
        }
    }
    assert!(bytes.iter().enumerate().all(|(i, b)| *b == i as u8));
    assert!(wide.iter().enumerate().all(|(i, w)| w.0 == (i * 10) as u8));
    bytes.truncate(10);
    bytes.shrink_to_fit();
    wide.truncate(3);
    wide.shrink_to_fit();
    assert_eq!(bytes, (0..10u8).collect::<Vec<_>>());
    assert_eq!(wide, vec![Align64(0), Align64(10), Align64(20)]);
    assert!(aligned_ptr(wide.as_ptr()));
}

#[test]
fn zeroed_blocks_are_zero() {
    // `vec![0; n]` asks for zeroed memory; reuse freed blocks in between so
    // that a block that is not cleared would show.
    for round in 0..50usize {
        let junk: Vec<u8> = vec![0xA5; 4096 + round];
        drop(junk);
        let z: Vec<u64> = vec![0; 512 + round];
        assert!(z.iter().all(|x| *x == 0), "round {round}");
        let z16: Vec<u128> = vec![0; 64];
        assert!(aligned_ptr(z16.as_ptr()) && z16.iter().all(|x| *x == 0));
    }
}

#[test]
fn threads_free_each_others_blocks() {
    let made: Vec<String> = std::thread::scope(|s| {
        s.spawn(|| (0..10_000).map(|i| format!("block {i}")).collect())
            .join()
            .expect("thread")
    });
    let mut map = BTreeMap::new();
    for (i, m) in made.into_iter().enumerate() {
        assert_eq!(m, format!("block {i}"));
        map.insert(i, m);
    }
    std::thread::scope(|s| {
        s.spawn(move || drop(map));
    });
}
