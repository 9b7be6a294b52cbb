"""The course's lecture decks: how a notebook copy becomes slides, and how a deck is checked.

- ``tools/slides/markdown.py`` cuts a markdown cell into blocks and sentences;
- ``tools/slides/outputs.py`` shortens long outputs for a slide;
- ``tools/slides/deck.py`` turns a notebook copy into slide cells and speaker notes;
- ``tools/slides/walk.py`` visits every slide of a built deck in Chromium and measures it;
- ``tools/build_slides.py`` (``python -m tools.build_slides``) builds the decks.

The notebooks themselves are never changed: every transformation works on a copy at build time.
"""
