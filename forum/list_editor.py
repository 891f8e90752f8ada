"""Edit a list of sub-forms without JavaScript: add, remove and move rows with submit buttons.

A form holding a WTForms `FieldList` named `prefix` (fields `prefix-0-part`,
`prefix-1-part`, ...) gets submit buttons named `action`: `add_<item>`,
`remove_<item>-2`, `move_up-3`, `move_down-3`. `apply_list_action()` rewrites
the posted data accordingly, renumbering rows from 0, so the re-rendered form
keeps everything typed and nothing is saved. The policy editor (sections) and
the survey builder (questions) both use it.
"""
import re

from werkzeug.datastructures import MultiDict


def apply_list_action(formdata, *, prefix, item, parts, maximum, too_many):
    """(new form data, problem) for a list button press; (None, None) for a plain submit.

    `parts` names each row's fields; `too_many` is the problem shown when
    adding would pass `maximum` rows. Rows are read in index order, so gaps
    or odd indices in what was posted do no harm.
    """
    action = re.match(rf"^(add_{item}|remove_{item}|move_up|move_down)(?:-(\d{{1,6}}))?$", formdata.get("action", ""))
    if not action:
        return None, None
    verb, index = action.group(1), int(action.group(2) or -1)
    field = re.compile(rf"^{prefix}-(\d{{1,6}})-({'|'.join(parts)})$")
    rows = {}
    for key, value in formdata.items(multi=True):
        found = field.match(key)
        if found:
            rows.setdefault(int(found.group(1)), {})[found.group(2)] = value
    entries = [rows[i] for i in sorted(rows)]
    problem = None
    if verb == f"add_{item}":
        if len(entries) >= maximum:
            problem = too_many
        else:
            entries.append({})
    elif 0 <= index < len(entries):
        if verb == f"remove_{item}":
            entries.pop(index)
        elif verb == "move_up" and index > 0:
            entries[index - 1], entries[index] = entries[index], entries[index - 1]
        elif verb == "move_down" and index < len(entries) - 1:
            entries[index + 1], entries[index] = entries[index], entries[index + 1]
    rebuilt = MultiDict(
        (key, value) for key, value in formdata.items(multi=True)
        if key != "action" and not key.startswith(f"{prefix}-")
    )
    for position, entry in enumerate(entries):
        # Only what was posted: an unchecked checkbox posts nothing, and must stay absent (a
        # checkbox given "" would render value="" and post "" when ticked). A new row gets its
        # first field, so the list knows it is there.
        for part, value in (entry.items() if entry else [(parts[0], "")]):
            rebuilt.add(f"{prefix}-{position}-{part}", value)
    return rebuilt, problem
