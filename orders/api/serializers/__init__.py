"""The order API's shapes, in three modules:

- `outputs`: builds every answer, one function per shape, used by every endpoint that answers it;
- `schema`: the same shapes described for OpenAPI (serializers that never build an answer);
- `inputs`: the request bodies the endpoints read.
"""
