"""Attachments of scenarios and responses, served through a view (never the media URL) to
those who see the object, under the name it was uploaded with."""

import os

from django.http import FileResponse, Http404


def attachment_response(field_file) -> FileResponse:
    """The file as a download (Content-Disposition: attachment; filename=…); 404 when the
    object has none or the file is gone from storage."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(field_file.name))
