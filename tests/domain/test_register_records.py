"""The register's records: the fast builder makes what the constructor makes."""

from __future__ import annotations

import pytest


def test_record_builder_makes_the_same_task_as_the_constructor(hanzhong):
    import dataclasses

    from deviation_cli.domain.register import Task, record_builder

    build = record_builder(Task)
    for task in hanzhong.tasks:
        fields = {field.name: getattr(task, field.name) for field in dataclasses.fields(Task)}
        made = build(**fields)
        assert type(made) is Task and made == Task(**fields) and hash(made) == hash(task)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.text = "x"
