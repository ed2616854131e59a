"""The default subnet names (Rust `get_name_for_subnet`, subnets/symbols.rs): what a subnet without an
identity name is called on chain, by netuid; `unknown` past the table. On-chain values, listed as the
runtime returns them."""

from __future__ import annotations

__all__ = ["UNKNOWN", "default_subnet_name"]

UNKNOWN = b"unknown"

_NAMES = (
    "root", "apex", "omron", "templar", "targon", "kaito", "infinite", "subvortex", "ptn", "pretrain",
    "sturdy", "dippy", "horde", "dataverse", "palaidn", "deval", "bitads", "3gen", "cortex", "inference",
    "bitagent", "any-any", "meta", "social", "omega", "protein", "alchemy", "compute", "oracle", "coldint",
    "bet", "naschain", "itsai", "ready", "mind", "logic", "automata", "tuning", "distributed", "edge",
    "chunk", "sportsensor", "masa", "graphite", "score", "gen42", "neural", "condense", "nextplace", "automl",
    "audio", "celium", "dojo", "frontier", "safescan", "unknown", "gradients", "gaia", "dippy-speach",
    "agent-arena", "unknown", "red team", "agentao", "lean-in", "chutes", "sad", "dad", "ta", "dha", "ain",
    "ghayn", "fa", "qaf", "kaf", "lam", "mim", "nun", "ha", "waw", "ya", "alef", "fehu", "uruz", "thurisaz",
    "ansuz", "raidho", "kaunan", "cyr_yeru", "algiz", "berkanan", "ogham", "beith", "luis", "fearn", "sail",
    "nion", "forfeda", "ani", "bani", "gani", "doni", "eni", "vini", "ayp", "ben", "gim", "da", "ech", "za",
    "armeni", "grave", "io", "dje", "gje", "ie", "dze", "hard_sign", "alfa", "alfas", "vida", "vida_small",
    "gamma", "gamma_small", "brahmi_a", "brahmi_aa", "brahmi_i", "brahmi_ii", "brahmi_u", "la", "va", "sha",
    "ssa", "sa", "ha", "glagolitic_az", "glagolitic_buky", "glagolitic_vede", "glagolitic_glagoli",
    "glagolitic_dobro", "glagolitic_yest", "glagolitic_zhivete", "glagolitic_zemlja", "glagolitic_izhe",
    "glagolitic_initial_izhe", "glagolitic_i", "glagolitic_djerv", "glagolitic_kako", "glagolitic_ljudije",
    "glagolitic_myse", "glagolitic_nash", "glagolitic_on", "glagolitic_pokoj", "glagolitic_rtsy",
    "glagolitic_slovo", "glagolitic_tvrido", "glagolitic_uku", "glagolitic_fert", "glagolitic_xrivi",
    "glagolitic_ot", "glagolitic_cy", "glagolitic_shcha", "glagolitic_er", "glagolitic_yeru",
    "glagolitic_small_yer", "glagolitic_yo", "glagolitic_yu", "glagolitic_ja", "thai_ko_kai", "thai_kho_khai",
    "thai_kho_khuat", "thai_kho_khon", "thai_kho_rakhang", "thai_kho_khwai", "thai_ngo_ngu", "thai_cho_chan",
    "thai_cho_ching", "thai_cho_chang", "thai_so_so", "thai_cho_choe", "thai_yo_ying", "thai_do_chada",
    "thai_to_patak", "thai_tho_than", "thai_tho_nangmontho", "thai_tho_phuthao", "thai_no_nen", "thai_do_dek",
    "thai_to_tao", "thai_tho_thung", "thai_tho_thahan", "thai_tho_thong", "thai_no_nu", "thai_bo_baimai",
    "thai_po_pla", "thai_pho_phung", "thai_fo_fa", "thai_pho_phan", "thai_fo_fan", "thai_pho_samphao",
    "thai_mo_ma", "thai_yo_yak", "thai_ro_rua", "thai_lo_ling", "thai_wo_waen", "thai_so_sala",
    "thai_so_rusi", "thai_so_sua", "thai_ho_hip", "thai_lo_chula", "thai_o_ang", "thai_ho_nokhuk",
    "hangul_giyeok", "hangul_nieun", "hangul_digeut", "hangul_rieul", "hangul_mieum", "hangul_bieup",
    "hangul_siot", "hangul_ieung", "hangul_jieut", "hangul_chieut", "hangul_kieuk", "hangul_tieut",
    "hangul_pieup", "hangul_hieut", "hangul_a", "hangul_ae", "hangul_ya", "hangul_yae", "hangul_eo",
    "hangul_e", "hangul_yeo", "hangul_ye", "hangul_o", "hangul_wa", "hangul_wae", "hangul_oe", "hangul_yo",
    "hangul_u", "hangul_weo", "hangul_we", "hangul_wi", "hangul_yu", "hangul_eu", "hangul_ui", "hangul_i",
    "ethiopic_glottal_a", "ethiopic_glottal_u", "ethiopic_glottal_i", "ethiopic_glottal_aa",
    "ethiopic_glottal_e", "ethiopic_glottal_ie", "ethiopic_glottal_o", "ethiopic_glottal_wa", "ethiopic_wa",
    "ethiopic_wu", "ethiopic_wi", "ethiopic_waa", "ethiopic_we", "ethiopic_wye", "ethiopic_wo", "ethiopic_ko",
    "ethiopic_ku", "ethiopic_ki", "ethiopic_kua", "ethiopic_ke", "ethiopic_kwe", "ethiopic_ko_alt",
    "ethiopic_go", "ethiopic_gu", "ethiopic_gi", "ethiopic_gua", "ethiopic_ge", "ethiopic_gwe",
    "ethiopic_go_alt", "devanagari_a", "devanagari_aa", "devanagari_i", "devanagari_ii", "devanagari_u",
    "devanagari_uu", "devanagari_r", "devanagari_e", "devanagari_ai", "devanagari_o", "devanagari_au",
    "devanagari_ka", "devanagari_kha", "devanagari_ga", "devanagari_gha", "devanagari_nga", "devanagari_cha",
    "devanagari_chha", "devanagari_ja", "devanagari_jha", "devanagari_nya", "devanagari_ta", "devanagari_tha",
    "devanagari_da", "devanagari_dha", "devanagari_na", "devanagari_ta_alt", "devanagari_tha_alt",
    "devanagari_da_alt", "devanagari_dha_alt", "devanagari_na_alt", "devanagari_pa", "devanagari_pha",
    "devanagari_ba", "devanagari_bha", "devanagari_ma", "devanagari_ya", "devanagari_ra", "devanagari_la",
    "devanagari_va", "devanagari_sha", "devanagari_ssa", "devanagari_sa", "devanagari_ha", "katakana_a",
    "kana_i", "kana_u", "kana_e", "kana_o", "kana_a", "kana_ki", "kana_ku", "kana_ke", "kana_ko", "kana_sa",
    "kana_shi", "kana_su", "kana_se", "kana_so", "kana_ta", "kana_chi", "kana_tsu", "kana_te", "kana_to",
    "kana_na", "kana_ni", "kana_nu", "kana_ne", "kana_no", "kana_ha", "kana_hi", "kana_fu", "kana_he",
    "kana_ho", "kana_ma", "kana_mi", "kana_mu", "kana_me", "kana_mo", "kana_ya", "kana_yu", "kana_yo",
    "kana_ra", "kana_ri", "kana_ru", "kana_re", "kana_ro", "kana_wa", "kana_wo", "kana_n", "ya", "yab",
    "yabh", "yag", "yagh", "yaj", "yach", "yad", "yadh", "yadhe", "yaz", "yazh", "yaf", "yak", "yakv", "yaq",
    "yah", "yahh", "yahl", "yahm", "yayn", "yakh", "yakl", "yahq", "yash", "yi", "yij", "yizh", "yink", "yal",
    "yam", "yan", "yang", "yany", "yap", "yu", "a", "aa", "i", "ii", "u", "uu", "r", "rr", "l", "ll", "e",
    "ee", "ai", "o", "oo", "au", "ka", "kha", "ga", "gha", "nga", "cha", "chha", "ja", "jha", "nya", "ta",
    "tha", "da", "dha", "na", "pa", "pha", "ba", "bha", "ma", "ya", "ra",
)


def default_subnet_name(netuid: int) -> bytes:
    return _NAMES[netuid].encode() if netuid < len(_NAMES) else UNKNOWN
