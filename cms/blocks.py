"""StreamField blocks for intranet pages; one template per block, each
reusing GOV.UK Frontend markup (inset text, summary list, body copy)."""

import copy

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import blocks as image_blocks
from wagtail.rich_text import expand_db_html

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]
# The renditions the block templates use, fetched with the images.
IMAGE_RENDITIONS = ["width-800"]


# Rendering a page reads each block type's values in bulk (bulk_to_python),
# so the two blocks below make a page's queries independent of how many
# images and text blocks it has. They keep Wagtail's names in migrations.


class ImageChooserBlock(image_blocks.ImageChooserBlock):
    """Every image of a page in one query, with its renditions in one more."""

    canonical_module_path = "wagtail.images.blocks.ImageChooserBlock"

    def bulk_to_python(self, values):
        found = self.model_class.objects.prefetch_renditions(*IMAGE_RENDITIONS).in_bulk(
            [v for v in values if v is not None]
        )
        result, seen = [], set()
        for pk in values:
            obj = found.get(pk)
            if obj is not None and pk in seen:
                obj = copy.copy(obj)
            result.append(obj)
            seen.add(pk)
        return result


class _ExpandedTogether:
    """The rich text of every text block on a page, expanded at the first
    render in one expand_db_html call: links to pages and documents are
    looked up once per kind for the page, not once per block."""

    SEPARATOR = "\x00"

    def __init__(self, sources):
        self.sources = sources
        self.html = None

    def get(self, index: int) -> str:
        if self.html is None:
            parts = expand_db_html(self.SEPARATOR.join(self.sources)).split(self.SEPARATOR)
            if len(parts) != len(self.sources):  # a separator inside a source: one by one
                parts = [expand_db_html(source) for source in self.sources]
            self.html = parts
        return self.html[index]


class TextBlock(blocks.RichTextBlock):
    canonical_module_path = "wagtail.blocks.RichTextBlock"

    def bulk_to_python(self, values):
        items = [self.to_python(v) for v in values]
        together = _ExpandedTogether([item.source for item in items])
        for index, item in enumerate(items):
            item.expanded_together = (together, index)  # read by cms_tags.safe_richtext
        return items


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe what the image shows for people who cannot see it (required)",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError({"alt_text": ValidationError("Enter alt text")})
        return value

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text="A YouTube or Vimeo link")
    title = blocks.CharBlock(
        max_length=150, help_text="What the video is about (used as the frame title)"
    )
    transcript = blocks.TextBlock(required=False, help_text="A text alternative for the video")

    class Meta:
        icon = "media"
        template = "cms/blocks/video.html"


class FigureBlock(blocks.StructBlock):
    measure = blocks.CharBlock(max_length=120, help_text="e.g. Days in hospital after discharge")
    before = blocks.CharBlock(max_length=40)
    after = blocks.CharBlock(max_length=40)
    note = blocks.CharBlock(required=False, max_length=200)


class ImpactBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Before and after")
    figures = blocks.ListBlock(FigureBlock(), min_num=1, max_num=8)

    class Meta:
        icon = "table"
        template = "cms/blocks/impact.html"


class StoryBodyBlock(blocks.StreamBlock):
    text = TextBlock(features=RICH_TEXT_FEATURES, template="cms/blocks/text.html")
    image = ImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    impact = ImpactBlock()
