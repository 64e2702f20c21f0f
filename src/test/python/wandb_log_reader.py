#!/usr/bin/env python3
"""Independent reader for W&B `.wandb` transaction logs (Python 3 standard library only).

Written from the wire reference (docs/wandb-protocol.md, sections 1.2, 4.1-4.5), sharing
no code with runbus's Java reader, so the two can check each other.

    wandb_log_reader.py FILE [--json]

Checks the file header, the 32 KiB blocks and their trailer padding, every chunk's
CRC-32/IEEE (over the type byte and the payload) and the FULL / FIRST+MIDDLE*+LAST chunk
sequence; decodes each Record's num and record type (and the items of history, summary,
stats and exit records); and enforces what a log written for W&B's own sync tools must obey:
nums 1..n consecutive, only record types both sync generations know, no persisted requests.

Output: one line per record (a JSON object with --json), then a summary line.
Exit status: 0 clean; 1 corrupt or incompatible (stderr names the offset); 2 usage or I/O
error; 3 torn tail (the file ends inside a record; everything before it is printed).
"""

import argparse
import json
import sys
import zlib

FILE_HEADER = bytes.fromhex("3a572642e1be00")
BLOCK_SIZE = 32768
CHUNK_HEADER_SIZE = 7
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4

# Record's oneof record_type, by field number.
RECORD_TYPES = {
    2: "history", 3: "summary", 4: "output", 5: "config", 6: "files", 7: "stats",
    8: "artifact", 9: "tbrecord", 10: "alert", 11: "telemetry", 12: "metric",
    13: "output_raw", 17: "run", 18: "exit", 20: "final", 21: "header", 22: "footer",
    23: "preempting", 24: "link_artifact", 25: "use_artifact", 26: "environment",
    27: "output_logger", 100: "request",
}
# The types both W&B sync generations understand (wire reference 4.5).
PERSISTABLE = set(range(2, 14)) | {17, 18} | set(range(20, 24)) | {25}

EXIT_OK, EXIT_BAD, EXIT_USAGE, EXIT_TORN = 0, 1, 2, 3


class Corrupt(Exception):
    """Bytes no correct writer produces, or a record W&B's tools would reject."""

    def __init__(self, offset, reason):
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


class Torn(Exception):
    """The file ends inside a record."""

    def __init__(self, offset, reason):
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


# ---------------------------------------------------------------- framing

def read_records(f):
    """Yields (offset of the first chunk, payload) per record, reading one block at a time."""
    head = f.read(len(FILE_HEADER))
    if head != FILE_HEADER:
        raise Corrupt(0, "bad header (expected %s, found %s)" % (FILE_HEADER.hex(), head.hex()))
    block_start = 0
    block = head + f.read(BLOCK_SIZE - len(head))
    pos = len(head)
    record_offset = None  # offset of the FIRST chunk of the record being assembled
    parts = []

    def torn_at(offset):
        return record_offset if record_offset is not None else offset

    while True:
        if pos >= len(block):
            if len(block) < BLOCK_SIZE:
                break
            block_start += BLOCK_SIZE
            block = f.read(BLOCK_SIZE)
            pos = 0
            if not block:
                break
            continue
        here = block_start + pos
        room = BLOCK_SIZE - pos
        have = len(block) - pos
        if room < CHUNK_HEADER_SIZE:
            if any(block[pos:]):
                raise Corrupt(here, "non-zero byte in the block trailer padding")
            if have < room:
                raise Torn(torn_at(here), "EOF inside the block trailer padding")
            pos = BLOCK_SIZE
            continue
        if have < CHUNK_HEADER_SIZE:
            raise Torn(torn_at(here), "EOF inside a chunk header")
        crc = int.from_bytes(block[pos:pos + 4], "little")
        length = int.from_bytes(block[pos + 4:pos + 6], "little")
        kind = block[pos + 6]
        if crc == 0 and length == 0 and kind == 0:
            nonzero = first_nonzero(block, pos, block_start, f)
            if nonzero is not None:
                raise Corrupt(here, "zeroed chunk header followed by non-zero data at offset %d" % nonzero)
            if record_offset is not None:
                raise Torn(record_offset, "zeroed space before the record's LAST chunk")
            return
        if length > room - CHUNK_HEADER_SIZE:
            raise Corrupt(here, "chunk length %d runs past the block end" % length)
        if length > have - CHUNK_HEADER_SIZE:
            raise Torn(torn_at(here), "EOF inside a chunk payload")
        payload = block[pos + CHUNK_HEADER_SIZE:pos + CHUNK_HEADER_SIZE + length]
        expected = zlib.crc32(payload, zlib.crc32(bytes([kind])))
        if expected != crc:
            raise Corrupt(here, "checksum mismatch (stored %08x, computed %08x)" % (crc, expected))
        pos += CHUNK_HEADER_SIZE + length
        if kind == FULL:
            if record_offset is not None:
                raise Corrupt(here, "FULL chunk while a record is open")
            yield here, bytes(payload)
        elif kind == FIRST:
            if record_offset is not None:
                raise Corrupt(here, "FIRST chunk while a record is open")
            record_offset, parts = here, [payload]
        elif kind == MIDDLE:
            if record_offset is None:
                raise Corrupt(here, "MIDDLE chunk without FIRST")
            parts.append(payload)
        elif kind == LAST:
            if record_offset is None:
                raise Corrupt(here, "LAST chunk without FIRST")
            parts.append(payload)
            yield record_offset, b"".join(parts)
            record_offset, parts = None, []
        else:
            raise Corrupt(here, "unknown chunk type %d" % kind)
    if record_offset is not None:
        raise Torn(record_offset, "EOF before the record's LAST chunk")


def first_nonzero(block, pos, block_start, f):
    """Offset of the first non-zero byte from block[pos] to the end of the file, or None."""
    while True:
        rest = block[pos:]
        zeros = len(rest) - len(rest.lstrip(b"\0"))
        if zeros < len(rest):
            return block_start + pos + zeros
        if len(block) < BLOCK_SIZE:
            return None
        block_start += BLOCK_SIZE
        block = f.read(BLOCK_SIZE)
        pos = 0
        if not block:
            return None


# ---------------------------------------------------------------- protobuf

def read_varint(buf, i):
    value, shift = 0, 0
    while True:
        if i >= len(buf):
            raise ValueError("truncated varint")
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i
        shift += 7
        if shift >= 70:
            raise ValueError("varint longer than 10 bytes")


def fields(buf):
    """Yields (field number, wire type, value): an int for varint/fixed, bytes for length-delimited."""
    i = 0
    while i < len(buf):
        key, i = read_varint(buf, i)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ValueError("field number 0")
        if wire == 0:
            value, i = read_varint(buf, i)
        elif wire == 1:
            value, i = int.from_bytes(buf[i:i + 8], "little"), i + 8
        elif wire == 2:
            size, i = read_varint(buf, i)
            value, i = buf[i:i + size], i + size
        elif wire == 5:
            value, i = int.from_bytes(buf[i:i + 4], "little"), i + 4
        else:
            raise ValueError("unsupported wire type %d" % wire)
        if i > len(buf):
            raise ValueError("field %d runs past the end of its message" % number)
        yield number, wire, value


def signed64(value):
    return value - (1 << 64) if value >= 1 << 63 else value


def signed32(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def text(value):
    return bytes(value).decode("utf-8")


def item(buf):
    """HistoryItem / SummaryItem: key=1, nested_key=2 (repeated), value_json=16."""
    key, nested, value_json = "", [], None
    for number, wire, value in fields(buf):
        if number == 1 and wire == 2:
            key = text(value)
        elif number == 2 and wire == 2:
            nested.append(text(value))
        elif number == 16 and wire == 2:
            value_json = text(value)
    return (".".join(nested) if nested else key), value_json


def items_dict(raw_items):
    out = {}
    for raw in raw_items:
        key, value_json = item(raw)
        try:
            out[key] = json.loads(value_json) if value_json is not None else None
        except ValueError as e:
            raise ValueError("value_json of %r is not JSON: %s" % (key, e))
    return out


def decode_record(payload):
    """The fields of one Record this tool reports: num, type and the type's details."""
    num, types, body = 0, [], None
    for number, wire, value in fields(payload):
        if number == 1 and wire == 0:
            num = signed64(value)
        elif number in RECORD_TYPES:
            if wire != 2:
                raise ValueError("record type field %d has wire type %d" % (number, wire))
            types.append(number)
            body = value
    if not types:
        raise ValueError("record has no record type")
    if len(types) > 1:
        raise ValueError("record has several record types: %s" % [RECORD_TYPES[t] for t in types])
    number = types[0]
    rec = {"num": num, "type": RECORD_TYPES[number], "field": number}
    if number == 2:
        raw, step = [], None
        for n, w, v in fields(body):
            if n == 1 and w == 2:
                raw.append(v)
            elif n == 2 and w == 2:
                step = next((signed64(x) for m, ww, x in fields(v) if m == 1 and ww == 0), 0)
        rec["items"] = items_dict(raw)
        if step is not None:
            rec["step"] = step
    elif number == 3:
        update, remove = [], []
        for n, w, v in fields(body):
            if n == 1 and w == 2:
                update.append(v)
            elif n == 2 and w == 2:
                remove.append(v)
        rec["update"] = items_dict(update)
        rec["remove"] = [item(r)[0] for r in remove]
    elif number == 7:
        # StatsRecord: item=3 (key=1, value_json=16, as a history item), timestamp=2
        rec["items"] = items_dict([v for n, w, v in fields(body) if n == 3 and w == 2])
    elif number == 18:
        rec["exit_code"], rec["runtime"] = 0, 0
        for n, w, v in fields(body):
            if n == 1 and w == 0:
                rec["exit_code"] = signed32(v)
            elif n == 2 and w == 0:
                rec["runtime"] = signed32(v)
    return rec


def check_compatible(rec, offset, expected_num):
    number = rec.pop("field")
    if number == 100:
        raise Corrupt(offset, "record %d carries a request: requests must not be persisted" % rec["num"])
    if number not in PERSISTABLE:
        raise Corrupt(offset, "record type %s (field %d) is not one W&B's sync tools accept"
                      % (rec["type"], number))
    if rec["num"] != expected_num:
        raise Corrupt(offset, "record num %d, expected %d (nums must run 1..n consecutively)"
                      % (rec["num"], expected_num))


# ---------------------------------------------------------------- output

def main(argv):
    parser = argparse.ArgumentParser(description="Check and print a W&B .wandb transaction log.")
    parser.add_argument("file")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)

    def emit(obj, human):
        print(json.dumps(obj, separators=(",", ":")) if args.json else human)

    count = 0
    try:
        with open(args.file, "rb") as f:
            for offset, payload in read_records(f):
                try:
                    rec = decode_record(payload)
                except ValueError as e:
                    raise Corrupt(offset, "undecodable record: %s" % e)
                check_compatible(rec, offset, count + 1)
                count += 1
                line = {"offset": offset}
                line.update(rec)
                emit(line, "%10d  #%d %s %s" % (offset, rec["num"], rec["type"],
                                               json.dumps({k: v for k, v in rec.items()
                                                           if k not in ("num", "type")})))
    except OSError as e:
        print("wandb_log_reader: %s" % e, file=sys.stderr)
        return EXIT_USAGE
    except Corrupt as e:
        print("wandb_log_reader: %s: corrupt at offset %d: %s" % (args.file, e.offset, e.reason),
              file=sys.stderr)
        return EXIT_BAD
    except Torn as e:
        emit({"records": count, "torn_tail_offset": e.offset},
             "torn tail at offset %d after %d records: %s" % (e.offset, count, e.reason))
        print("wandb_log_reader: %s: torn tail at offset %d: %s" % (args.file, e.offset, e.reason),
              file=sys.stderr)
        return EXIT_TORN
    emit({"records": count, "ok": True}, "%d records, ok" % count)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
