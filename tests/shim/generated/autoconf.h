/* Host unit-test configuration. */
#define CONFIG_DEBUG 1
#define CONFIG_SMP 1
#define CONFIG_NR_CPUS 4
