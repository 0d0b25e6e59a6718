-- An article's meaning (pipelines/stories/embedding.py), worked out once by `scrapy
-- stories` before the article is first placed: its title and lead's, and its title's
-- alone. Float16 vectors in base64; NULL until worked out, and again when a new
-- translation changes what it says. Stories kept by the former model (another width)
-- are read as having no meaning, and judged on their words, until their window passes.
ALTER TABLE articles ADD COLUMN meaning TEXT;
ALTER TABLE articles ADD COLUMN title_meaning TEXT;
