from __future__ import annotations

from typing import Any

import factory

from netral.accounts.models import Assignment, User
from netral.registry.models import Official, SubjectType
from netral.registry.text import fold

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"officer{n}")
    full_name = factory.LazyAttribute(lambda o: o.username.title())
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        role = kwargs.pop("role", None)
        region = kwargs.pop("region", "64.08")
        user: User = super()._create(model_class, *args, **kwargs)
        if role is not None:
            Assignment.objects.get_or_create(user=user, role=role, region_id=region)
        return user


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    subject_type = SubjectType.PNS
    name = factory.Sequence(lambda n: f"Pejabat {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    region_id = "64.08"
