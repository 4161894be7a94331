"""An LwM2M 1.2 client on aiocoap, a CoAP stack nobody in this project wrote: the device side
of the interop test in lwm2m_interop.rs.

It behaves as the 1.2 clients in the field do (Anjay's demo, Zephyr): it registers with
lwm2m=1.2 and no binding, answers reads and notifications in SenML CBOR when no Accept is
named, downloads the Package URI with aiocoap's own Block2 client (or takes a PUSH, its
Block1 blocks gathered by aiocoap), notifies /5/0 on every State and Update Result change, and
after Execute Update "reboots": a new socket (on a new port unless --port keeps one), a new
Register, State 0, Update Result 1 and whatever version string it was told to report, which
need not be the package's. Options make it answer as other builds do (plain CBOR and no
text/plain, unconfirmed notifications, early Block2 negotiation, a De-register before the
reboot).

stdout gets one line per fact the test checks (flushed at once); stderr gets the log.
"""

import argparse
import asyncio
import hashlib
import sys

import aiocoap
import aiocoap.resource
import cbor2
from aiocoap.numbers.codes import Code
from aiocoap.optiontypes import BlockOption

BlockwiseTuple = BlockOption.BlockwiseTuple

TEXT_PLAIN = 0
LINK_FORMAT = 40
CBOR = 60
SENML_CBOR = 112

# SenML labels in CBOR (RFC 8428 §6).
BN, N, V, VS = -2, 0, 2, 3

# /5/0/3 State and /5/0/5 Update Result, as in OMA object 5.
IDLE, DOWNLOADING, DOWNLOADED, UPDATING = 0, 1, 2, 3
RESULT_INITIAL, RESULT_SUCCESS, RESULT_CONNECTION_LOST, RESULT_INVALID_URI = 0, 1, 4, 7


def say(*words):
    print(*words, flush=True)


def log(*words):
    print("aiocoap-client:", *words, file=sys.stderr, flush=True)


class Client(aiocoap.resource.ObservableResource):
    """Objects /3 and /5 of one device, and the device's life around them. One resource for
    every path, as a constrained client dispatches on the path itself."""

    def __init__(self, args):
        super().__init__()
        self.args = args
        self.version = args.version
        self.state = IDLE
        self.result = RESULT_INITIAL
        self.uri = ""
        self.package = b""
        self.ctx = None
        self.location = None
        # The path each live observation watches, by its aiocoap handle.
        self.observing = {}
        self.download = None

    # --- the objects -------------------------------------------------------------------

    def values(self):
        """Every resource this client has, by path; a str is a String resource's value."""
        return {
            (3, 0, 0): "aiocoap",
            (3, 0, 1): "aiocoap_client.py",
            (3, 0, 3): self.version,
            (5, 0, 1): self.uri,
            (5, 0, 3): self.state,
            (5, 0, 5): self.result,
            (5, 0, 6): "",
            (5, 0, 7): "",
            # Protocol Support: CoAP only; Delivery Method: PULL and PUSH.
            (5, 0, 8, 0): 0,
            (5, 0, 9): 2,
        }

    def under(self, path):
        return {k: v for k, v in self.values().items() if k[: len(path)] == path}

    def render_values(self, path, accept):
        found = self.under(path)
        if not found:
            return aiocoap.Message(code=Code.NOT_FOUND)
        single = list(found) == [path]
        if accept is None:
            accept = self.args.single_format if single else SENML_CBOR
        if accept == TEXT_PLAIN and single and not self.args.no_text:
            (value,) = found.values()
            return aiocoap.Message(
                code=Code.CONTENT, content_format=TEXT_PLAIN, payload=str(value).encode()
            )
        if accept == CBOR and single:
            (value,) = found.values()
            return aiocoap.Message(
                code=Code.CONTENT, content_format=CBOR, payload=cbor2.dumps(value)
            )
        base = "/" + "/".join(map(str, path))
        records = []
        for i, (k, value) in enumerate(sorted(found.items())):
            name = "/".join(map(str, k[len(path) :]))
            record = {N: name} if name else {}
            if i == 0:
                record[BN] = base + "/" if name else base
            record[VS if isinstance(value, str) else V] = value
            records.append(record)
        if accept != SENML_CBOR:
            # TLV and SenML JSON are optional from LwM2M 1.1 on, and this client lacks them.
            return aiocoap.Message(code=Code.NOT_ACCEPTABLE)
        return aiocoap.Message(
            code=Code.CONTENT, content_format=SENML_CBOR, payload=cbor2.dumps(records)
        )

    def set_firmware(self, state=None, result=None):
        changed = []
        if state is not None and state != self.state:
            self.state = state
            changed.append((5, 0, 3))
        if result is not None and result != self.result:
            self.result = result
            changed.append((5, 0, 5))
        if changed:
            say(f"state {self.state} result {self.result}")
        for observation, path in list(self.observing.items()):
            if any(c[: len(path)] == path for c in changed):
                observation.trigger()

    # --- CoAP server side ---------------------------------------------------------------

    async def add_observation(self, request, serverobservation):
        path = parse_path(request)
        if path is None or not self.under(path):
            return

        def cancelled(obs=serverobservation):
            self.observing.pop(obs, None)

        self.observing[serverobservation] = path
        serverobservation.accept(cancelled)
        log("observed", request.opt.uri_path)

    async def render_get(self, request):
        path = parse_path(request)
        if path is None:
            return aiocoap.Message(code=Code.NOT_FOUND)
        accept = request.opt.accept
        response = self.render_values(path, None if accept is None else int(accept))
        if request.opt.observe is not None and self.args.notify == "non":
            # As Anjay does by default: notifications unconfirmed (the first answer still
            # rides on the ACK).
            response.mtype = aiocoap.NON
        return response

    async def render_put(self, request):
        path = parse_path(request)
        if request.opt.uri_query:
            # Write-Attributes (pmin, pmax...): taken; notifications go out on every change.
            return aiocoap.Message(code=Code.CHANGED)
        if path == (5, 0, 1):
            return self.write_uri(request.payload.decode("utf-8", "replace"))
        if path == (5, 0, 0):
            return self.write_package(request.payload)
        if self.under(path or ()):
            return aiocoap.Message(code=Code.METHOD_NOT_ALLOWED)
        return aiocoap.Message(code=Code.NOT_FOUND)

    async def render_post(self, request):
        path = parse_path(request)
        if path == (5, 0, 2):
            if self.state != DOWNLOADED:
                return aiocoap.Message(code=Code.METHOD_NOT_ALLOWED)
            self.set_firmware(state=UPDATING)
            asyncio.get_running_loop().create_task(self.reboot())
            return aiocoap.Message(code=Code.CHANGED)
        if path == (5, 0, 10):
            self.cancel_download()
            self.set_firmware(state=IDLE, result=RESULT_INITIAL)
            return aiocoap.Message(code=Code.CHANGED)
        return aiocoap.Message(code=Code.METHOD_NOT_ALLOWED)

    def write_uri(self, uri):
        self.cancel_download()
        self.uri = uri
        if not uri:
            # The empty write resets the state machine to Idle.
            self.package = b""
            self.set_firmware(state=IDLE, result=RESULT_INITIAL)
            return aiocoap.Message(code=Code.CHANGED)
        if not uri.startswith("coap://"):
            self.set_firmware(state=IDLE, result=RESULT_INVALID_URI)
            return aiocoap.Message(code=Code.BAD_REQUEST)
        self.download = asyncio.get_running_loop().create_task(self.pull(uri))
        return aiocoap.Message(code=Code.CHANGED)

    def write_package(self, body):
        # aiocoap has gathered the Block1 blocks of a PUSH into one request by now.
        self.cancel_download()
        if not body:
            self.package = b""
            self.set_firmware(state=IDLE, result=RESULT_INITIAL)
            return aiocoap.Message(code=Code.CHANGED)
        self.downloaded(body)
        return aiocoap.Message(code=Code.CHANGED)

    def cancel_download(self):
        if self.download is not None and not self.download.done():
            self.download.cancel()
        self.download = None

    def downloaded(self, body):
        self.package = body
        say(f"package sha256={hashlib.sha256(body).hexdigest()} bytes={len(body)}")
        self.set_firmware(state=DOWNLOADED, result=RESULT_INITIAL)

    # --- CoAP client side ---------------------------------------------------------------

    async def pull(self, uri):
        self.set_firmware(state=DOWNLOADING, result=RESULT_INITIAL)
        try:
            request = aiocoap.Message(code=Code.GET, uri=uri)
            if self.args.block_size:
                # Early negotiation (RFC 7959 §2.4): block 0 at the size this client can take.
                szx = self.args.block_size.bit_length() - 5
                request.opt.block2 = BlockwiseTuple(0, False, szx)
            # aiocoap's own Block2 client assembles the blocks.
            response = await self.ctx.request(request).response
        except asyncio.CancelledError:
            raise
        except Exception as e:
            log("download failed:", repr(e))
            self.set_firmware(state=IDLE, result=RESULT_CONNECTION_LOST)
            return
        if not response.code.is_successful():
            log("download answered", response.code)
            self.set_firmware(state=IDLE, result=RESULT_INVALID_URI)
            return
        self.downloaded(response.payload)

    async def register(self):
        links = '</>;rt="oma.lwm2m";ct=112,</1>;ver=1.2,</1/0>,</3>;ver=1.2,</3/0>,</5/0>'
        query = f"ep={self.args.endpoint}&lt={self.args.lifetime}&lwm2m=1.2"
        request = aiocoap.Message(
            code=Code.POST,
            uri=f"{self.args.server}/rd?{query}",
            content_format=LINK_FORMAT,
            payload=links.encode(),
        )
        response = await self.ctx.request(request).response
        if response.code != Code.CREATED:
            raise SystemExit(f"Register answered {response.code}")
        self.location = "/" + "/".join(response.opt.location_path)
        say(f"registered at {self.location} version {self.version}")

    async def update_loop(self):
        # Registration Update well before the lifetime runs out, as every client does.
        while True:
            await asyncio.sleep(self.args.lifetime * 0.8)
            if self.location is None:
                continue
            request = aiocoap.Message(code=Code.POST, uri=f"{self.args.server}{self.location}")
            try:
                response = await self.ctx.request(request).response
                if response.code != Code.CHANGED:
                    await self.register()
            except Exception as e:
                log("registration Update failed:", repr(e))
                await self.register()

    async def start(self):
        # One socket for both sides, as a device has: the server's requests come to the
        # address the Register came from.
        bind = (self.args.bind, self.args.port)
        self.ctx = await aiocoap.Context.create_server_context(self, bind=bind)
        await self.register()

    async def reboot(self):
        """The device installs the package and starts again: it forgets its socket, its
        observers and its registration, as a device does across a reset."""
        await asyncio.sleep(self.args.reboot_delay)
        if self.args.deregister and self.location is not None:
            # Some clients say goodbye before they reset.
            request = aiocoap.Message(code=Code.DELETE, uri=f"{self.args.server}{self.location}")
            response = await self.ctx.request(request).response
            say(f"de-registered: {response.code}")
        say("rebooting")
        old = self.ctx
        self.ctx = None
        self.observing.clear()
        self.location = None
        await old.shutdown()
        self.version = self.args.version_after
        self.uri = ""
        self.package = b""
        self.state, self.result = IDLE, RESULT_SUCCESS
        say(f"state {self.state} result {self.result}")
        await self.start()


def parse_path(request):
    try:
        return tuple(int(p) for p in request.opt.uri_path)
    except ValueError:
        return None


async def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    p.add_argument("--server", required=True, help="coap://host:port of the LwM2M server")
    p.add_argument("--endpoint", default="aiocoap-client")
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument(
        "--port", type=int, default=0, help="the local port, kept across the reboot (0: a new one)"
    )
    p.add_argument("--block-size", type=int, choices=[16, 32, 64, 128, 256, 512, 1024])
    p.add_argument("--deregister", action="store_true", help="De-register before the reboot")
    p.add_argument("--lifetime", type=int, default=60)
    p.add_argument("--version", default="thirdparty-1", help="/3/0/3 before the update")
    p.add_argument(
        "--version-after", default="thirdparty-2", help="/3/0/3 after the update"
    )
    p.add_argument(
        "--single-format",
        type=int,
        choices=[SENML_CBOR, TEXT_PLAIN, CBOR],
        default=SENML_CBOR,
        help="the format of a single resource when no Accept is named",
    )
    p.add_argument(
        "--no-text",
        action="store_true",
        help="4.06 to text/plain, as Anjay built with ANJAY_WITHOUT_PLAINTEXT",
    )
    p.add_argument("--notify", choices=["con", "non"], default="con")
    p.add_argument("--reboot-delay", type=float, default=0.5)
    p.add_argument("--seconds", type=float, default=30, help="stop after this long")
    args = p.parse_args()
    client = Client(args)
    await client.start()
    updates = asyncio.get_running_loop().create_task(client.update_loop())
    await asyncio.sleep(args.seconds)
    updates.cancel()
    if client.ctx is not None:
        await client.ctx.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
