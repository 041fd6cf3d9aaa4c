"""The importer: a page-layout system's text export or a Word file becomes the article files of a page.

reading (bytes → lines: encodings, Word) → stories (lines → Story records) → repairs (column breaks,
repeats, cut-off text) → articles (a Story as front matter and Markdown) → writing (the plan of every
file, written all or nothing); `command` is the `import` subcommand around them.
"""
