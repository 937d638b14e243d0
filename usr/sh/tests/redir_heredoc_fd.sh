cat 3<<EOF <&3
from fd3
EOF
cat <<EOF 2>&1
two
EOF
