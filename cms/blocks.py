"""StreamField blocks for intranet pages; one template per block, each
reusing GOV.UK Frontend markup (inset text, summary list, body copy)."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


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
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="cms/blocks/text.html")
    image = ImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    impact = ImpactBlock()
