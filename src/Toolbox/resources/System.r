/*
 * System.r - the System file's resources, compiled by tools/rez into the
 * resource fork GRUB loads as the "System" boot module. The Window
 * Manager's tests and the boot script open their windows from here.
 */

resource 'WIND' (128, "Document", purgeable) {
    {60, 40, 260, 360}, zoomDocProc, visible, goAway, 0x0, "Untitled", noAutoCenter
};

resource 'WIND' (129, "Notes", purgeable) {
    {120, 220, 360, 560}, zoomDocProc, visible, goAway, 0x0, "Notes", staggerMainScreen
};

resource 'WIND' (130, "Palette") {
    {300, 600, 420, 760}, noGrowDocProc, invisible, noGoAway, 42, "Tools"
};

resource 'MENU' (128, "Apple") {
    128, textMenuProc, allEnabled, enabled, "\0x14",
    {   "About This Macintosh\0xC9", noIcon, noKey, noMark, plain;
        "-", noIcon, noKey, noMark, plain
    }
};

resource 'MENU' (129, "File") {
    129, textMenuProc, 0x7FFFFFFB, enabled, "File",
    {   "New", noIcon, "N", noMark, plain;
        "Close", noIcon, "W", noMark, plain;
        "-", noIcon, noKey, noMark, plain;
        "Quit", noIcon, "Q", noMark, bold
    }
};

resource 'DLOG' (128, "About") {
    {80, 120, 240, 480}, dBoxProc, visible, noGoAway, 0x0, 128, "", alertPositionMainScreen
};

resource 'ALRT' (128, "Low memory", purgeable) {
    {60, 80, 180, 440}, 129,
    {   OK, visible, sound1;
        OK, visible, sound1;
        OK, visible, sound1;
        OK, visible, silent
    },
    alertPositionMainScreen
};

resource 'DITL' (128, purgeable) {
    {   {120, 270, 140, 340}, Button { enabled, "OK" };
        {10, 80, 60, 340}, StaticText { disabled, "A Classic Mac OS Memory Manager on a nanokernel." };
        {10, 20, 42, 52}, Icon { disabled, 1 };
        {70, 20, 90, 340}, UserItem { disabled }
    }
};

resource 'DITL' (129, purgeable) {
    {   {80, 270, 100, 340}, Button { enabled, "OK" };
        {80, 180, 100, 250}, Button { enabled, "Cancel" };
        {10, 80, 60, 340}, StaticText { disabled, "Memory is running low. Close a window." };
        {60, 20, 76, 180}, CheckBox { enabled, "Don't warn again" }
    }
};

resource 'CNTL' (128, "OK button") {
    {120, 270, 140, 340}, 0, visible, 1, 0, pushButProc, 0x0, "OK"
};

resource 'CNTL' (129, "Scroll") {
    {-1, 305, 186, 321}, 0, invisible, 100, 0, scrollBarProc, 7, ""
};

resource 'STR ' (128, "Greeting") {
    "Welcome to Macintosh."
};

resource 'STR ' (129, purgeable) {
    "Window contents are drawn from a purgeable resource."
};

resource 'STR#' (128, "Window titles", purgeable) {
    {   "Untitled";
        "Notes";
        "Letter";
        "Budget";
        "Drawing";
        "Memo";
        "Report";
        "Sketch"
    }
};

/* ---- the Menu Manager's menus (MENU 128-135) ---------------------------------------- */

resource 'MENU' (130, "Edit") {
    130, textMenuProc, 0x7FFFFFFD, enabled, "Edit",
    {   "Undo", noIcon, "Z", noMark, plain;
        "-", noIcon, noKey, noMark, plain;
        "Cut", noIcon, "X", noMark, plain;
        "Copy", noIcon, "C", noMark, plain;
        "Paste", noIcon, "V", noMark, plain;
        "Clear", noIcon, noKey, noMark, plain
    }
};
