"""The page replica (版面) from the printed page's PDF: the page picture rendered from it, and each
story's hotspot found where its text is printed.

`pdf` reads a PDF (PDFium, through pypdfium2): its first page's size, characters and picture;
`layout` turns characters into printed lines; `matching` finds each story's lines and their
areas; `pages` is the build's side of it: the PDFs of `page.yaml` files read once per content
digest (kept in the build cache), the pictures rendered into the cache, the areas set into the
articles that give none.
"""
