# sha256sum: FIPS 180-4's examples, the padding boundaries (55/56/63/64/65
# bytes), a multi-block file, stdin, "-" and a missing file
t sha256-empty 'printf "" | sha256sum' <<'EOF'
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  -
[0]
EOF
t sha256-abc 'printf abc | sha256sum' <<'EOF'
ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -
[0]
EOF
t sha256-448bit 'printf abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq | sha256sum' <<'EOF'
248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1  -
[0]
EOF
t sha256-boundaries 'for n in 55 56 63 64 65 119 120 128; do seq 1 100 | head -c $n > f$n; sha256sum f$n; done' <<'EOF'
44a24960ebd620e90851d8cacbebef69ada909eec0bd82fa51a49e7fcc5a59f8  f55
8c85407c541239a092222b53cd471b470a31448161b08b73f8584b6f314c233b  f56
8e322ce58047d5599d642ea635c1f934c118be0fcfc5b6131620191652cd8b43  f63
9c7f2abad8da5c73ebd05e9f4ea7d7cc4a67d3b52b7e5d633de1e6e77c841b39  f64
f9a2bea60146a1718da881cb1df9081bcd548cba6f3fbc553b0f72fc99d3b4d0  f65
7a29e0f9a16b1f81108639cb821de4cc2c87b09fc8ac0c7ec04b88ae470941ae  f119
85b11df70ce973c477487ca3a336b66dc94e579a250f7c41031e04c86e5d93ca  f120
ef5d7dd6bee907301e7cdb774195e953c37a82af6e8bde4afacc7b1ed065113b  f128
[0]
EOF
t sha256-big 'seq 1 200000 > big; sha256sum big - < big' <<'EOF'
5af7b95208fdcff454bab3f5eddf567a688a3796c703d4fef91072e38645c062  big
5af7b95208fdcff454bab3f5eddf567a688a3796c703d4fef91072e38645c062  -
[0]
EOF
t sha256-missing 'printf x > a; sha256sum nosuch a' <<'EOF'
2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  a
[1]
EOF
