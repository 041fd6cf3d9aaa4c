"""Pictures: camera originals in, light responsive derivatives out, without GPS or camera data.

The data flow: `reading` (a source's facts; its pixels upright; the metadata kept) →
`renditions` (which derivatives and their names, pure) → `encoding` (resized and encoded in
fixed settings) → `store` (`.broadsheet-cache/pictures/`, keyed by content and settings).
`catalogue` collects a build's pictures as the content is read (`Catalogue.add` takes any
source file); `making` derives the missing ones on all cores and prunes the rest. Templates
show a `published.Picture` with `<picture>`. Nothing is imported here: a build that finds nothing
changed loads only `settings`.
"""
