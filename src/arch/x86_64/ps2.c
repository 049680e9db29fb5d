/*
 * ps2.c - the PS/2 keyboard and mouse through the i8042 controller, polled
 * from the Event Manager's pump (no IRQ: the IDT only reports exceptions).
 *
 * Bytes arrive on port 0x60; status bit 5 says whether a byte came from the
 * mouse. Mouse bytes gather into 3-byte packets (the first has bit 3 set;
 * a byte without it where a packet should start is dropped, which resyncs a
 * stream that lost a byte). Keyboard bytes are scan code set 1 (the
 * controller translates), with an 0xE0 prefix for the extended keys; each
 * make or break code becomes a Macintosh virtual key code: Alt is Command,
 * the Windows key Option, Ctrl Control.
 *
 * Every wait on the controller is bounded: an absent or wedged controller
 * costs at most PS2_POLLS status reads per step and then counts as absent.
 */
#include "arch/x86_64/ps2.h"

#include "arch/x86_64/io.h"
#include "lib/kprintf.h"

enum {
    PS2_DATA = 0x60, PS2_STATUS = 0x64, PS2_COMMAND = 0x64,
    PS2_OUT_FULL = 0x01, PS2_IN_FULL = 0x02, PS2_FROM_AUX = 0x20,
    PS2_CMD_READ_CONFIG = 0x20, PS2_CMD_WRITE_CONFIG = 0x60,
    PS2_CMD_DISABLE_AUX = 0xA7, PS2_CMD_ENABLE_AUX = 0xA8,
    PS2_CMD_DISABLE_KBD = 0xAD, PS2_CMD_ENABLE_KBD = 0xAE, PS2_CMD_TO_AUX = 0xD4,
    PS2_CFG_KBD_IRQ = 0x01, PS2_CFG_AUX_IRQ = 0x02, PS2_CFG_KBD_CLOCK_OFF = 0x10,
    PS2_CFG_AUX_CLOCK_OFF = 0x20, PS2_CFG_TRANSLATE = 0x40,
    PS2_DEV_DEFAULTS = 0xF6, PS2_DEV_ENABLE = 0xF4, PS2_ACK = 0xFA,
    PS2_POLLS = 200000,
    PS2_FLUSH_MAX = 64,
    PS2_NO_KEY = 0xFF,
};

static bool g_ps2_present, g_ps2_mouse;
static uint8_t g_packet[3];
static unsigned g_packet_len;
static bool g_e0;

/* ---- the controller -------------------------------------------------------- */

static bool ps2_wait_write(void)
{
    for (int i = 0; i < PS2_POLLS; i++)
        if (!(inb(PS2_STATUS) & PS2_IN_FULL))
            return true;
    return false;
}

static bool ps2_wait_read(void)
{
    for (int i = 0; i < PS2_POLLS; i++)
        if (inb(PS2_STATUS) & PS2_OUT_FULL)
            return true;
    return false;
}

static bool ps2_command(uint8_t cmd)
{
    if (!ps2_wait_write())
        return false;
    outb(PS2_COMMAND, cmd);
    return true;
}

static bool ps2_write_data(uint8_t v)
{
    if (!ps2_wait_write())
        return false;
    outb(PS2_DATA, v);
    return true;
}

static int ps2_read_data(void)
{
    return ps2_wait_read() ? inb(PS2_DATA) : -1;
}

static void ps2_flush(void)
{
    for (int i = 0; i < PS2_FLUSH_MAX && (inb(PS2_STATUS) & PS2_OUT_FULL); i++)
        (void)inb(PS2_DATA);
}

/* Sends a byte to the mouse and waits for its acknowledgement. */
static bool ps2_mouse_command(uint8_t v)
{
    if (!ps2_command(PS2_CMD_TO_AUX) || !ps2_write_data(v))
        return false;
    for (int tries = 0; tries < 4; tries++) {
        int r = ps2_read_data();
        if (r == PS2_ACK)
            return true;
        if (r < 0)
            return false;
    }
    return false;
}

void ps2_init(void)
{
    if (inb(PS2_STATUS) == 0xFF) {
        kprintf("ps2: no controller\n");
        return;
    }
    if (!ps2_command(PS2_CMD_DISABLE_KBD) || !ps2_command(PS2_CMD_DISABLE_AUX)) {
        kprintf("ps2: controller does not take commands; no keyboard or mouse\n");
        return;
    }
    ps2_flush();
    int cfg = ps2_command(PS2_CMD_READ_CONFIG) ? ps2_read_data() : -1;
    if (cfg < 0) {
        kprintf("ps2: controller does not answer; no keyboard or mouse\n");
        return;
    }
    cfg &= ~(PS2_CFG_KBD_IRQ | PS2_CFG_AUX_IRQ | PS2_CFG_KBD_CLOCK_OFF | PS2_CFG_AUX_CLOCK_OFF);
    cfg |= PS2_CFG_TRANSLATE;
    ps2_command(PS2_CMD_WRITE_CONFIG);
    ps2_write_data((uint8_t)cfg);
    ps2_command(PS2_CMD_ENABLE_KBD);
    ps2_command(PS2_CMD_ENABLE_AUX);
    ps2_flush();
    g_ps2_mouse = ps2_mouse_command(PS2_DEV_DEFAULTS) && ps2_mouse_command(PS2_DEV_ENABLE);
    ps2_flush();
    g_ps2_present = true;
    kprintf("ps2: keyboard polled (scan code set 1), mouse %s\n",
            g_ps2_mouse ? "reporting" : "did not answer");
}

/* ---- the mouse ------------------------------------------------------------- */

static bool ps2_mouse_byte(uint8_t b, plat_input *in)
{
    if (g_packet_len == 0 && !(b & 0x08))
        return false;                      /* not a packet start: resync */
    g_packet[g_packet_len++] = b;
    if (g_packet_len < 3)
        return false;
    g_packet_len = 0;
    uint8_t f = g_packet[0];
    int dx = g_packet[1] - ((f & 0x10) ? 256 : 0);
    int dy = g_packet[2] - ((f & 0x20) ? 256 : 0);
    if (f & 0xC0)
        dx = dy = 0;                       /* overflow: the deltas mean nothing */
    *in = (plat_input){
        .kind = PLAT_INPUT_MOUSE, .dh = (int16_t)dx, .dv = (int16_t)-dy,
        .button = (f & 0x03) != 0,
    };
    return true;
}

/* ---- the keyboard ----------------------------------------------------------- */

/* Scan code set 1 (make codes 0x01..0x58) to virtual key codes. */
static const uint8_t g_set1_to_mac[0x59] = {
    [0x00] = PS2_NO_KEY,
    [0x01] = 0x35, [0x02] = 0x12, [0x03] = 0x13, [0x04] = 0x14, [0x05] = 0x15, [0x06] = 0x17,
    [0x07] = 0x16, [0x08] = 0x1A, [0x09] = 0x1C, [0x0A] = 0x19, [0x0B] = 0x1D, [0x0C] = 0x1B,
    [0x0D] = 0x18, [0x0E] = 0x33, [0x0F] = 0x30, [0x10] = 0x0C, [0x11] = 0x0D, [0x12] = 0x0E,
    [0x13] = 0x0F, [0x14] = 0x11, [0x15] = 0x10, [0x16] = 0x20, [0x17] = 0x22, [0x18] = 0x1F,
    [0x19] = 0x23, [0x1A] = 0x21, [0x1B] = 0x1E, [0x1C] = 0x24, [0x1D] = 0x3B, [0x1E] = 0x00,
    [0x1F] = 0x01, [0x20] = 0x02, [0x21] = 0x03, [0x22] = 0x05, [0x23] = 0x04, [0x24] = 0x26,
    [0x25] = 0x28, [0x26] = 0x25, [0x27] = 0x29, [0x28] = 0x27, [0x29] = 0x32, [0x2A] = 0x38,
    [0x2B] = 0x2A, [0x2C] = 0x06, [0x2D] = 0x07, [0x2E] = 0x08, [0x2F] = 0x09, [0x30] = 0x0B,
    [0x31] = 0x2D, [0x32] = 0x2E, [0x33] = 0x2B, [0x34] = 0x2F, [0x35] = 0x2C, [0x36] = 0x3C,
    [0x37] = 0x43, [0x38] = 0x37, [0x39] = 0x31, [0x3A] = 0x39, [0x3B] = 0x7A, [0x3C] = 0x78,
    [0x3D] = 0x63, [0x3E] = 0x76, [0x3F] = 0x60, [0x40] = 0x61, [0x41] = 0x62, [0x42] = 0x64,
    [0x43] = 0x65, [0x44] = 0x6D, [0x45] = 0x47, [0x46] = PS2_NO_KEY, [0x47] = 0x59, [0x48] = 0x5B,
    [0x49] = 0x5C, [0x4A] = 0x4E, [0x4B] = 0x56, [0x4C] = 0x57, [0x4D] = 0x58, [0x4E] = 0x45,
    [0x4F] = 0x53, [0x50] = 0x54, [0x51] = 0x55, [0x52] = 0x52, [0x53] = 0x41, [0x54] = PS2_NO_KEY,
    [0x55] = PS2_NO_KEY, [0x56] = PS2_NO_KEY, [0x57] = 0x67, [0x58] = 0x6F,
};

/* The 0xE0-prefixed keys. */
static uint8_t ps2_extended_to_mac(uint8_t code)
{
    switch (code) {
    case 0x1C: return 0x4C;    /* keypad enter */
    case 0x1D: return 0x3E;    /* right control */
    case 0x35: return 0x4B;    /* keypad / */
    case 0x38: return 0x37;    /* right alt: command */
    case 0x47: return 0x73;    /* home */
    case 0x48: return 0x7E;    /* up */
    case 0x49: return 0x74;    /* page up */
    case 0x4B: return 0x7B;    /* left */
    case 0x4D: return 0x7C;    /* right */
    case 0x4F: return 0x77;    /* end */
    case 0x50: return 0x7D;    /* down */
    case 0x51: return 0x79;    /* page down */
    case 0x52: return 0x72;    /* insert: help */
    case 0x53: return 0x75;    /* delete: forward delete */
    case 0x5B: return 0x3A;    /* left Windows key: option */
    case 0x5C: return 0x3D;    /* right Windows key: option */
    default:   return PS2_NO_KEY;
    }
}

static bool ps2_key_byte(uint8_t b, plat_input *in)
{
    if (b == 0xE0) {
        g_e0 = true;
        return false;
    }
    bool e0 = g_e0;
    g_e0 = false;
    uint8_t code = b & 0x7F;
    uint8_t mac = e0 ? ps2_extended_to_mac(code) : code < sizeof g_set1_to_mac ? g_set1_to_mac[code] : PS2_NO_KEY;
    if (mac == PS2_NO_KEY || (!e0 && code == 0))
        return false;
    *in = (plat_input){ .kind = PLAT_INPUT_KEY, .key_code = mac, .key_down = !(b & 0x80) };
    return true;
}

bool ps2_poll(plat_input *in)
{
    if (!g_ps2_present)
        return false;
    for (int n = 0; n < PS2_FLUSH_MAX; n++) {
        uint8_t st = inb(PS2_STATUS);
        if (!(st & PS2_OUT_FULL))
            return false;
        uint8_t b = inb(PS2_DATA);
        bool got = (st & PS2_FROM_AUX) ? ps2_mouse_byte(b, in) : ps2_key_byte(b, in);
        if (got)
            return true;
    }
    return false;
}
