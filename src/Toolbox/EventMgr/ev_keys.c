/*
 * ev_keys.c - the keyboard: the key map (GetKeys), the modifiers derived
 * from it, the built-in US layout that turns a virtual key code into a
 * character, key and auto-key events.
 *
 * Modifier keys post no events of their own; they only change the
 * modifiers of later events. Caps lock toggles alphaLock on each press.
 * Auto-key repeats the last non-modifier key pressed while it stays down:
 * first after ev_key_thresh ticks, then every ev_key_rep_thresh.
 */
#include "event_internal.h"

#include "lib/kstring.h"

/* Plain and shifted characters by virtual key code (US layout); 0 = none. */
typedef struct ev_layout_key {
    UInt8 plain, shifted;
} ev_layout_key;

static const ev_layout_key ev_us_layout[128] = {
    [0x00] = { 'a', 'A' }, [0x01] = { 's', 'S' }, [0x02] = { 'd', 'D' }, [0x03] = { 'f', 'F' },
    [0x04] = { 'h', 'H' }, [0x05] = { 'g', 'G' }, [0x06] = { 'z', 'Z' }, [0x07] = { 'x', 'X' },
    [0x08] = { 'c', 'C' }, [0x09] = { 'v', 'V' }, [0x0B] = { 'b', 'B' }, [0x0C] = { 'q', 'Q' },
    [0x0D] = { 'w', 'W' }, [0x0E] = { 'e', 'E' }, [0x0F] = { 'r', 'R' }, [0x10] = { 'y', 'Y' },
    [0x11] = { 't', 'T' }, [0x12] = { '1', '!' }, [0x13] = { '2', '@' }, [0x14] = { '3', '#' },
    [0x15] = { '4', '$' }, [0x16] = { '6', '^' }, [0x17] = { '5', '%' }, [0x18] = { '=', '+' },
    [0x19] = { '9', '(' }, [0x1A] = { '7', '&' }, [0x1B] = { '-', '_' }, [0x1C] = { '8', '*' },
    [0x1D] = { '0', ')' }, [0x1E] = { ']', '}' }, [0x1F] = { 'o', 'O' }, [0x20] = { 'u', 'U' },
    [0x21] = { '[', '{' }, [0x22] = { 'i', 'I' }, [0x23] = { 'p', 'P' }, [0x24] = { 0x0D, 0x0D },
    [0x25] = { 'l', 'L' }, [0x26] = { 'j', 'J' }, [0x27] = { '\'', '"' }, [0x28] = { 'k', 'K' },
    [0x29] = { ';', ':' }, [0x2A] = { '\\', '|' }, [0x2B] = { ',', '<' }, [0x2C] = { '/', '?' },
    [0x2D] = { 'n', 'N' }, [0x2E] = { 'm', 'M' }, [0x2F] = { '.', '>' }, [0x30] = { 0x09, 0x09 },
    [0x31] = { ' ', ' ' }, [0x32] = { '`', '~' }, [0x33] = { 0x08, 0x08 }, [0x35] = { 0x1B, 0x1B },
    /* keypad */
    [0x41] = { '.', '.' }, [0x43] = { '*', '*' }, [0x45] = { '+', '+' }, [0x47] = { 0x1B, 0x1B },
    [0x4B] = { '/', '/' }, [0x4C] = { 0x03, 0x03 }, [0x4E] = { '-', '-' }, [0x51] = { '=', '=' },
    [0x52] = { '0', '0' }, [0x53] = { '1', '1' }, [0x54] = { '2', '2' }, [0x55] = { '3', '3' },
    [0x56] = { '4', '4' }, [0x57] = { '5', '5' }, [0x58] = { '6', '6' }, [0x59] = { '7', '7' },
    [0x5B] = { '8', '8' }, [0x5C] = { '9', '9' },
    /* function keys give 0x10 (the key code tells which) */
    [0x60] = { 0x10, 0x10 }, [0x61] = { 0x10, 0x10 }, [0x62] = { 0x10, 0x10 }, [0x63] = { 0x10, 0x10 },
    [0x64] = { 0x10, 0x10 }, [0x65] = { 0x10, 0x10 }, [0x67] = { 0x10, 0x10 }, [0x6D] = { 0x10, 0x10 },
    [0x6F] = { 0x10, 0x10 }, [0x76] = { 0x10, 0x10 }, [0x78] = { 0x10, 0x10 }, [0x7A] = { 0x10, 0x10 },
    /* navigation */
    [0x72] = { 0x05, 0x05 }, [0x73] = { 0x01, 0x01 }, [0x74] = { 0x0B, 0x0B }, [0x75] = { 0x7F, 0x7F },
    [0x77] = { 0x04, 0x04 }, [0x79] = { 0x0C, 0x0C }, [0x7B] = { 0x1C, 0x1C }, [0x7C] = { 0x1D, 0x1D },
    [0x7D] = { 0x1F, 0x1F }, [0x7E] = { 0x1E, 0x1E },
};

static bool ev_key_is_down(UInt8 code)
{
    return g_ev.keys[code >> 3] & (1u << (code & 7));
}

static void ev_key_set(UInt8 code, bool down)
{
    if (down)
        g_ev.keys[code >> 3] |= (UInt8)(1u << (code & 7));
    else
        g_ev.keys[code >> 3] &= (UInt8)~(1u << (code & 7));
}

static bool ev_is_modifier(UInt8 code)
{
    return code >= ev_kc_command && code <= ev_kc_rcontrol;
}

EventModifiers ev_modifiers(void)
{
    EventModifiers m = 0;
    if (!ev_button_down())
        m |= btnState;
    if (ev_key_is_down(ev_kc_command))
        m |= cmdKey;
    if (ev_key_is_down(ev_kc_shift) || ev_key_is_down(ev_kc_rshift))
        m |= shiftKey;
    if (g_ev.alpha_lock)
        m |= alphaLock;
    if (ev_key_is_down(ev_kc_option) || ev_key_is_down(ev_kc_roption))
        m |= optionKey;
    if (ev_key_is_down(ev_kc_control) || ev_key_is_down(ev_kc_rcontrol))
        m |= controlKey;
    return (EventModifiers)(m | g_ev.script_mods);
}

UInt8 ev_key_char(UInt8 keyCode, EventModifiers modifiers)
{
    if (keyCode >= 128)
        return 0;
    const ev_layout_key *k = &ev_us_layout[keyCode];
    bool letter = k->plain >= 'a' && k->plain <= 'z';
    bool shifted = (modifiers & shiftKey) || (letter && (modifiers & alphaLock));
    UInt8 c = shifted ? k->shifted : k->plain;
    if (letter && (modifiers & controlKey))
        c &= 0x1F;
    return c;
}

static unsigned long ev_key_message(UInt8 keyCode, EventModifiers mods)
{
    return (unsigned long)ev_key_char(keyCode, mods) | (unsigned long)keyCode << 8;
}

void ev_key_event(UInt8 keyCode, bool down, EventModifiers extra)
{
    if (keyCode >= 128)
        return;
    bool was_down = ev_key_is_down(keyCode);
    ev_key_set(keyCode, down);
    if (ev_is_modifier(keyCode)) {
        if (keyCode == ev_kc_caps && down && !was_down)
            g_ev.alpha_lock = !g_ev.alpha_lock;
        return;
    }
    EventModifiers mods = (EventModifiers)(ev_modifiers() | extra);
    EventModifiers saved = g_ev.script_mods;
    g_ev.script_mods |= extra;
    if (down && !was_down) {
        PostEvent(keyDown, ev_key_message(keyCode, mods));
        g_ev.repeat_key = keyCode;
        g_ev.repeat_due = TickCount() + ev_key_thresh;
    } else if (!down && was_down) {
        PostEvent(keyUp, ev_key_message(keyCode, mods));
        if (g_ev.repeat_key == keyCode)
            g_ev.repeat_key = 0xFF;
    }
    g_ev.script_mods = saved;
}

void ev_autokey(UInt32 now)
{
    UInt8 k = g_ev.repeat_key;
    if (k == 0xFF || !ev_key_is_down(k))
        return;
    if ((SInt32)(now - g_ev.repeat_due) < 0)
        return;
    PostEvent(autoKey, ev_key_message(k, ev_modifiers()));
    g_ev.repeat_due = now + ev_key_rep_thresh;
}

void GetKeys(KeyMap theKeys)
{
    ev_pump();
    if (theKeys)
        nk_memcpy(theKeys, g_ev.keys, sizeof g_ev.keys);
}
