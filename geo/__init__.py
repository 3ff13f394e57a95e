"""Reports → data: the corpus, the gazetteer, mentions, profiles and geocoded places."""
