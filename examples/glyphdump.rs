fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let (pages, _) = budgetgrid::ingest::pdf::read_pages(&bytes).unwrap();
    for g in pages[0].glyphs.iter().take(60) {
        println!("{:?} x0={:.1} x1={:.1} y={:.1} size={:.1}", g.text, g.x0, g.x1, g.y, g.size);
    }
}
