"""The event stream: the SSE hub and endpoint, and ending open streams when the server stops."""
