"""Every [inf] choice of the simulator in one table (what docs/formats.md marks "inferred").

A real capture that contradicts one of these is a one-line fix here. Durations are simulated
seconds (the lab clock scales them); texts are our own wording where the sources have none.
"""

from __future__ import annotations

from datetime import datetime

# --- the clock -------------------------------------------------------------------------------
DEFAULT_START = datetime(2026, 11, 25, 10, 0, 0)  # simulated wall time at `lab init`

# --- HMC power transitions (docs/formats.md "HMC") ---------------------------------------------
STARTING_SECONDS = 30.0
SHUTDOWN_SECONDS = 10.0

# --- xCAT hardware commands (docs/formats.md "Hardware control through the HMC") ------------
GETMACS_OPEN_FIRMWARE_SECONDS = 40.0  # adapter listing and ping test while at Open Firmware
RNETBOOT_SECONDS = 180.0  # from the call to `Success`
PPC_DEFAULT_TIMEOUT = 60  # site ppctimeout 0 means 60 s
RNETBOOT_TIMEOUT_FACTOR = 10
SSH_UNREACHABLE = "ssh connection terminated unexpectedly"
INVALID_LOGIN = "Invalid userid/password"

# --- mknimimage / nimnodeset (docs/formats.md "NIM from xCAT") ------------------------------
MKSYSB_SECONDS = 25 * 60.0
SPOT_SECONDS = 10 * 60.0
NIMNODESET_SECONDS = 5.0
NIMNODESET_PER_NODE_SECONDS = 2.0
NIM_SCRIPT_RESOURCE = "xcataixscript"

# --- network installation (docs/formats.md "NIM", "NIM from xCAT") --------------------------
BOOTP_TO_5_PERCENT_SECONDS = 2 * 60.0
INSTALL_SECONDS = 30 * 60.0
INSTALL_PROGRESS_STEPS = 10  # how often the NIM `info` percentage changes during the restore
CUSTOMIZATION_SECONDS = 3 * 60.0
REBOOT_SECONDS = 3 * 60.0
INSTALL_FAILURE_PERCENT = 40  # where an `install: error` fault strikes
INSTALL_INFO = "BOS install {percent}% complete : {phase}"
INSTALL_PHASE_BOOT = "Making boot logical volume."
INSTALL_PHASE_RESTORE = "Restoring base operating system."
INSTALL_PHASE_FINISH = "Initializing disk environment."
CSTATE_INSTALLING = "Base Operating System installation is being performed"
MSTATE_BOOTING = "in the process of booting"
INSTALL_ERR_INFO = (
    "0042-175 c_bosinst: An unexpected result was returned by the \"/usr/lpp/bos.sysmgt/nim/"
    "methods/c_bosinst\" command: restore of the mksysb image failed"
)

# --- NIM (docs/formats.md "NIM") --------------------------------------------------------------
LSNIM_NAME_WIDTH = 17
LSNIM_CLASS_WIDTH = 17
NIM_WRAPPER = '0042-001 nim: processing error encountered on "master":'
NIM_NOT_READY = "   {name} is not ready for this operation (Cstate: {cstate})"
NIM_ALLOCATED = "   {name} is allocated to one or more machines and cannot be changed"
NIM_MACHINE_EXISTS = '0042-032 nim: the NIM object name "{name}" is not unique'
NIM_RESOURCE_EXISTS = '0042-081 nim: the resource "{name}" already exists on "master"'
NIM_NO_NETWORK = "   no NIM network contains the address of {host}"
NIM_UNRESOLVED = "   {host} cannot be resolved to an IP address"
NIM_NETWORK_REQUIRED = "   the {attrs} attribute(s) are required to define {name}"
NIM_NOT_RUNNING = ('   0042-001 m_mkbosi: processing error encountered on "{name}":\n'
                   "   {name} is not running and cannot be reached with nimsh")
NIM_BAD_OP = '0042-104 nim: "{op}" is not a valid operation for "{name}"'
NIM_USAGE = "Usage: nim -o Operation [-F] [-t Type] [-a Attribute=Value]... {ObjectName|-}"
NIM_SHOWRES_SPOT = "bos.rte\nbos.sysmgt.nim.client\nbos.net.tcp.client\n"
NIM_SHOWRES_MISSING = "   0042-207 m_showres: Unable to allocate the {name} resource to master."
NIM_MACHINE_ORDER = (
    "class", "type", "comments", "connect", "platform", "netboot_kernel", "if1", "if2",
    "cable_type1", "cable_type2", "net_settings1", "Cstate", "prev_state", "Mstate", "info",
    "err_info", "boot", "bosinst_data", "lpp_source", "mksysb", "nim_script", "resolv_conf",
    "script", "spot", "control", "Cstate_result", "installed_image", "cpuid",
)
NIM_NOT_MANAGED = "   {name} is not a managed client: it has no mgmt_profile1 to boot it with"
NIM_HMC_LOGIN = "   unable to log in to the HMC {hmc} with the password file {file}"
NIM_NO_PARTITION = "   no partition answers the management profile of {name} ({profile})"
NIM_BAD_PROFILE = "   mgmt_profile1 must read 'HMC IDENTITY CEC' with defined objects: {value}"
NIM_MGMT_SOURCE_IDENTITY = ("   a managed client takes mgmt_source and a numeric identity "
                            "together, or mgmt_profile1 alone")
NIM_WRONG_MANAGER = "   {name} is not a {want} management object"
DPASSWD_NO_PASSWORD = "dpasswd: a password is required."
DPASSWD_EXISTS = "dpasswd: {path} already exists; use -o to overwrite it."
DPASSWD_CANNOT_WRITE = "dpasswd: cannot write {path}: the directory does not exist."
NIM_BAD_NAME = ('   "{name}" is not a valid NIM object name: at most 39 characters, no shell, '
                "file-system or regular-expression metacharacters")
NIM_NOT_A_MEMBER = "   {name} is not a standalone machine and cannot be a mac_group member"
NIM_GROUP_BOOT = ("   the lab boots managed clients one machine at a time: run bos_inst "
                  "-a boot_client=yes on each member of {name}")
NIM_RSTATE_READY = "ready for use"
NIM_RESOURCE_NOT_READY = "   {name} cannot be allocated: it is not ready for use (Rstate: {rstate})"
NIM_MULTIPLE_TYPES = ("script", "installp_bundle")  # allocated several at once (inferred)
NIM_FILE_TYPES = ("bosinst_data", "script", "fb_script", "resolv_conf", "image_data",
                  "installp_bundle")  # a location that must be an existing file
NIM_LOCATION_MISSING = '   0042-154 c_stat: the file or directory "{path}" does not exist'
NIM_RESOURCE_TYPES = (
    "lpp_source", "spot", "mksysb", "bosinst_data", "resolv_conf", "script", "fb_script",
    "image_data", "installp_bundle", "boot", "nim_script", "root", "dump", "paging", "home",
    "shared_home", "tmp", "shared_root",
)

# --- AIX hostent (docs/formats.md "NIM"): our wording, IBM publishes no message texts ------
HOSTENT_USAGE = 'Usage: hostent -a IPAddress -h "HostName..." | -d IPAddress'
HOSTENT_BAD_ADDRESS = "hostent: {ip} is not a valid IP address."
HOSTENT_EXISTS = "hostent: an entry for {ip} already exists."
HOSTENT_MISSING = "hostent: there is no entry for {ip}."

# --- HMC (docs/formats.md "HMC") ---------------------------------------------------------------
HMC_USAGE = (
    "An invalid parameter was entered for the {flag} option. Check the value and try again."
)
HMC_MISSING = "The {flag} parameter is required but was not entered. Check the command and retry."
HMC_SYS_NOT_FOUND = "HSCL8018 The managed system was not found."
HMC_LPAR_ID_NOT_FOUND = "HSCL8012 The partition with ID {id} was not found."
HMC_PROFILE_NOT_FOUND = "The partition profile {profile} was not found for partition {name}."
HMC_CANNOT_ACTIVATE = "The partition {name} cannot be activated because it is in the {state} state."
HMC_CANNOT_SHUTDOWN = "The partition {name} cannot be shut down because it is {state}."
HMC_SHELL_NOT_FOUND = "rbash: {cmd}: command not found"
HMC_DEFAULT_TYPE_MODEL = "7042-CR7"
HMC_DEFAULT_SERIAL = "10A3B5C"
NETBOOT_SHUTDOWN_LINE = "# Power off the node."

# --- HMC reference codes (docs/formats.md "HMC", `lsrefcode`) ---------------------------------
# Partition firmware (CAxxxxxx) and AIX progress codes of a network boot and install. The code
# names follow IBM's "(CAxx) Partition firmware progress codes" and AIX's IPL/installation
# progress codes; the moments at which each shows are ours.
REFCODE_FIRMWARE_START = "CA000000"  # process control now owned by partition firmware
REFCODE_HOST_CONNECTION = "CA00E174"  # establishing host connection
REFCODE_BOOTP = "CA00E175"  # bootp request: stays while no boot server answers
REFCODE_REBOOT = "0581"  # configuring TCP/IP while AIX reboots after the install
REFCODE_INSTALL = (  # (seconds after bootp was answered, code)
    (0.0, "CA00E176"),  # TFTP file transfer of the boot image
    (20.0, "0608"),  # tftp retrieve of the client's info file
    (40.0, "0610"),  # NFS mount of the SPOT
    (BOOTP_TO_5_PERCENT_SECONDS, "0C46"),  # normal BOS installation processing
    (BOOTP_TO_5_PERCENT_SECONDS + 60.0, "0C54"),  # installing the operating system
    (BOOTP_TO_5_PERCENT_SECONDS + INSTALL_SECONDS + CUSTOMIZATION_SECONDS, REFCODE_REBOOT),
    (BOOTP_TO_5_PERCENT_SECONDS + INSTALL_SECONDS + CUSTOMIZATION_SECONDS + REBOOT_SECONDS, ""),
)
REFCODE_INSTALL_FAILED = "0623"  # BOS install hit a fatal error: stays (an `install: error`)
REFCODE_RUNNING = ""  # a running AIX shows no reference code
REFCODE_BY_STATE = {"Not Activated": "00000000", "Starting": REFCODE_FIRMWARE_START,
                    "Open Firmware": REFCODE_FIRMWARE_START, "Running": REFCODE_RUNNING}
REFCODE_PROMPT_AFTER = "0C46"  # a stall on a code missing above (a console prompt) holds here
REFCODE_TIME_FORMAT = "%m/%d/%Y %H:%M:%S"  # time_stamp as lsrefcode prints it

# --- management node shell and files ---------------------------------------------------------
MN_SHELL_NOT_FOUND = "ksh: {cmd}:  not found."
MN_SHELL_SYNTAX = "ksh: syntax error: `{text}' unmatched"
SHELL_NOT_FOUND_STATUS = 127
FS_DIRS = (
    "/", "/etc", "/tmp", "/var", "/var/locks", "/var/run", "/install", "/install/nim",
    "/install/nim/mksysb", "/install/nim/spot", "/install/nim/lpp_source",
    "/install/nim/bosinst_data", "/install/nim/resolv_conf", "/install/nim/scripts",
    "/install/postscripts", "/install/prescripts", "/tftpboot", "/export", "/export/nim",
)
FS_ERRORS = {
    "mkdir_exists": "mkdir: 0653-358 Cannot create {path}.\n"
    "{path}: Do not specify an existing file.",
    "mkdir_noparent": "mkdir: 0653-357 Cannot access directory {parent}.\n"
    "{parent}: A file or directory in the path name does not exist.",
    "rmdir_missing": "rmdir: 0653-611 Directory {path} does not exist.",
    "rmdir_notempty": "rmdir: 0653-611 Directory {path} is not empty.",
    "rmdir_notdir": "rmdir: 0653-611 {path} is not a directory.",
    "rm_missing": "rm: {path}: A file or directory in the path name does not exist.",
    "rm_dir": "rm: 0653-603 Cannot remove directory {path}.",
    "cat_missing": "cat: 0652-050 Cannot open {path}.",
    "ls_missing": "ls: 0653-341 The file {path} does not exist.",
    "tee_noparent": "tee: {path}: A file or directory in the path name does not exist.",
    "mv_missing": "mv: 0653-401 Cannot rename {src} to {dst}:\n"
    "A file or directory in the path name does not exist.",
    "mv_exists": "mv: 0653-401 Cannot rename {src} to {dst}:\nFile exists.",
    "mv_notdir": "mv: 0653-401 Cannot rename {src} to {dst}:\nNot a directory.",
    "mv_inside": "mv: 0653-401 Cannot rename {src} to {dst}:\nInvalid argument.",
    "usage": "Usage: {cmd} {usage}",
}
FS_STATUS = 2
HOSTS_HEADER = "127.0.0.1 loopback localhost\n"

# --- xCAT texts without a capture ------------------------------------------------------------
MGT_DESCRIPTION = (
    "mgt => Select the method for power management, for example: hmc, ivm, fsp, bpa, blade."
)
XCAT_USAGE = "Usage: {cmd} {usage}"
GETMACS_NO_PROFILE = (
    "These nodes have no active profiles.  Please active the nodes to enable the default "
    "profiles"
)

# --- costs: realistic (docs/lab.md "Costs"; `costs: realistic` in a lab file) ----------------
# Real-cluster seconds per command: an xCAT client command starts perl and talks to xcatd, an
# HMC command runs the HMC's restricted-shell CLI, a file command is an SSH round trip. Ours.
COST_LATENCY = {
    "*": 0.05,
    **dict.fromkeys(("lsdef", "mkdef", "chdef", "rmdef", "makehosts", "makeconservercf",
                     "xcat2nim", "nimnodeset", "mknimimage", "rmnimimage", "rscan", "rpower",
                     "getmacs", "rnetboot", "tabdump", "chtab", "nodels", "nodech"), 1.0),
    "lsnim": 0.3, "nim": 1.0,
    **dict.fromkeys(("lssyscfg", "lshwres", "lsrefcode", "chsysstate", "lshmc", "lssysconn",
                     "rmvterm", "lpar_netboot"), 1.5),
}
COST_FORK_INTERVAL = 0.1  # xCAT PPC.pm: Time::HiRes::sleep(0.1) before each per-LPAR fork (source)
COST_RPOWER_SECONDS = 2.0  # one chsysstate of one LPAR as xCAT's per-CEC process runs it (ours)
COST_MASTER_MBIT = 1000.0  # the NIM master's interface: 1 GbE
COST_MKSYSB_MB = 2048.0  # an AIX rootvg mksysb: NIM resources of 1-2 GB (FORMATS.md "a few GB")

# --- faults: what a fault prints when the lab file gives no text -----------------------------
FAULT_DEFAULT_XCAT = "Error: {cmd}: simulated failure injected by the lab."
FAULT_DEFAULT_NIM = NIM_WRAPPER + "\n   simulated failure injected by the lab"
FAULT_DEFAULT_NETBOOT = "# Network booting install adapter.\nUnable to boot network adapter.\n" \
    "# Finished in an error.\n"  # on stdout, as lpar_netboot prints (LparNetbootExp.pm)
FAULT_DEFAULT_HMC = "An error occurred while running {cmd}: simulated failure injected by the lab."
FAULT_DEFAULT_FS = "{cmd}: simulated failure injected by the lab."
