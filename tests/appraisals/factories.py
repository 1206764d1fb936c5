import datetime

import factory
from django.utils import timezone

from appraisals.models import Action, Conversation, FeedbackRound, ShoutOut, TalkingPoint
from bewigan.values.models import Value
from tests.people.factories import PersonFactory


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    person = factory.SubFactory(PersonFactory)
    manager = factory.LazyAttribute(lambda o: o.person.line_manager or PersonFactory())
    meeting_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class TalkingPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalkingPoint

    conversation = factory.SubFactory(ConversationFactory)
    author = factory.LazyAttribute(lambda o: o.conversation.person)
    text = factory.Sequence(lambda n: f"Talking point {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    conversation = factory.SubFactory(ConversationFactory)
    person = factory.LazyAttribute(lambda o: o.conversation.person)
    owner = factory.LazyAttribute(lambda o: o.conversation.person)
    text = factory.Sequence(lambda n: f"Action {n}")
    due_date = factory.LazyAttribute(
        lambda o: o.conversation.meeting_date + datetime.timedelta(days=14)
    )


class ShoutOutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShoutOut

    giver = factory.SubFactory(PersonFactory)
    recipient = factory.SubFactory(PersonFactory)
    value = factory.LazyFunction(lambda: Value.objects.current().order_by("order").first())
    message = "Stayed late to make sure Mrs P got home safely"
    is_public = True


class FeedbackRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackRound

    subject = factory.SubFactory(PersonFactory)
    requested_by = factory.LazyAttribute(lambda o: o.subject)
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
