#!/usr/bin/env python3
"""Deterministic synthetic AWS Cost and Usage Report generator (benchmark input).

    python bench/gen_cur.py --rows N --format cur1-csv-gz|cur1-athena-parquet|cur2-parquet \
        --out PATH [--seed 42] [--files K] [--periods P] [--threads T]

Output layout
  cur1-csv-gz          K == 1: PATH is the file (e.g. cur.csv.gz); K > 1: PATH/bench-cur-0000N.csv.gz
  cur1-athena-parquet  PATH/year=YYYY/month=M/bench-cur-0000N.snappy.parquet (at least one file per
                       billing period, as AWS delivers it; K files are spread over the P periods)
  cur2-parquet         K == 1: PATH is the file; K > 1: PATH/bench-cur2-0000N.snappy.parquet

What the rows look like (see bench/README.md for the full description)
  * P billing periods (default 3, from 2024-01), hourly line items.
  * Line item mix: Usage ~78 %, SavingsPlanCoveredUsage 6 % each with a matching SavingsPlanNegation
    (negation unblended cost = -covered unblended cost exactly), DiscountedUsage ~5 %, EdpDiscount ~2 %,
    Tax ~0.9 %, Credit, Refund, RIFee, SavingsPlanRecurringFee, Fee.
  * Product attributes come from a seeded SKU catalogue (same SKU -> same attributes, as in real CUR):
    90 `product/*` attributes, ~25 non-empty per row. 10 user tags with spaces and mixed case in their
    keys (`resourceTags/user:Cost Center`) plus `aws:createdBy`, stable per resource; 2 cost categories
    per account. 24 linked accounts and the payer, several with leading zeros (`012345678901`).
  * The payer has an EDP: net columns (`lineItem/NetUnblendedCost`, `reservation/Net*`,
    `savingsPlan/NetSavingsPlanEffectiveCost`) and `discount/*` are populated.
  * Amounts are exact decimals with up to 10 places. CUR 1.0 CSV writes them the way AWS does (Java
    Double.toString: `0.096`, `1.0`, `1.81E-8`); timestamps `2024-01-01T00:00:00Z` (usage) and
    `2024-01-01T00:00:00.000Z` (billing period).
  * Athena Parquet: snake_case names (`line_item_unblended_cost`, `product_instance_type`,
    `resource_tags_user_cost_center`), amounts DOUBLE, rates and unit counts as 10-decimal strings,
    '' for missing strings and 0 for missing amounts (AWS writes every column NOT NULL), timestamps
    INT64 TIMESTAMP_MILLIS without the UTC flag (as DuckDB reads the real AWS files).
  * CUR 2.0 Parquet: the 131 columns of sql/aws/cur_columns.csv in that order (columns this
    generator does not fill are typed NULLs), maps `product`, `resource_tags`, `cost_category`
    (map<string,string>) and `discount` (map<string,double>), amounts DOUBLE, rates strings,
    timestamps INT64 timestamp(ms, isAdjustedToUTC=true). DuckDB's writer cannot emit that type, so
    the footer's isAdjustedToUTC flag is set afterwards (a one-nibble change per column, verified).

Determinism: everything derives from --seed through Python's random.Random (catalogues) and DuckDB's
hash() (rows). The same arguments and DuckDB version give byte-identical files (checked for all three
formats with 1 and 2 threads).
"""
from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CUR_COLUMNS = REPO / "sql" / "aws" / "cur_columns.csv"
REGIONS_CSV = REPO / "sql" / "aws" / "regions.csv"

REPORT = "bench-cur"
FORMATS = ("cur1-csv-gz", "cur1-athena-parquet", "cur2-parquet")


# --------------------------------------------------------------------------------------------
# Naming
# --------------------------------------------------------------------------------------------
def athena_name(header: str) -> str:
    """AWS's Athena rule: category + '_' + attribute, '_' before capitals, non-alphanumerics to '_',
    lower case, runs of '_' collapsed (`reservation/ReservationARN` -> `reservation_reservation_a_r_n`,
    `resourceTags/user:Cost Center` -> `resource_tags_user_cost_center`)."""
    out = []
    for ch in header:
        if ch.isupper():
            out.append("_" + ch.lower())
        elif ch.isalnum():
            out.append(ch)
        else:
            out.append("_")
    s = "".join(out)
    while "__" in s:
        s = s.replace("__", "_")
    return s.strip("_")


def snake(attr: str) -> str:
    return athena_name(attr)


# --------------------------------------------------------------------------------------------
# Catalogues (small, built in Python from the seed)
# --------------------------------------------------------------------------------------------
# 90 product attributes, CUR 1.0 spelling (after `product/`).
PRODUCT_ATTRS = [
    "ProductName", "abdInstanceClass", "apiType", "availability", "availabilityZone", "cacheEngine",
    "capacitystatus", "category", "classicnetworkingsupport", "clockSpeed", "comment",
    "currentGeneration", "databaseEdition", "databaseEngine", "dedicatedEbsThroughput",
    "deploymentOption", "description", "durability", "ecu", "edition", "endpointType", "engineCode",
    "enhancedNetworkingSupported", "eventType", "feeCode", "feeDescription", "freeQueryTypes",
    "fromLocation", "fromLocationType", "fromRegionCode", "gpu", "gpuMemory", "group",
    "groupDescription", "instanceFamily", "instanceType", "instanceTypeFamily", "instancesku",
    "intelAvx2Available", "intelAvxAvailable", "intelTurboAvailable", "licenseModel", "location",
    "locationType", "logsDestination", "marketoption", "maxIopsBurstPerformance", "maxIopsvolume",
    "maxThroughputvolume", "maxVolumeSize", "memory", "memorytype", "messageDeliveryFrequency",
    "messageDeliveryOrder", "minVolumeSize", "networkPerformance", "normalizationSizeFactor",
    "operatingSystem", "operation", "overhead", "physicalProcessor", "preInstalledSw",
    "pricingUnit", "processorArchitecture", "processorFeatures", "productFamily", "productType",
    "queueType", "region", "regionCode", "requestDescription", "requestType", "routingTarget",
    "routingType", "servicecode", "servicename", "sku", "storage", "storageClass", "storageMedia",
    "subscriptionType", "tenancy", "toLocation", "toLocationType", "toRegionCode", "transferType",
    "usagetype", "version", "volumeType", "vpcnetworkingsupport",
]
assert len(PRODUCT_ATTRS) == len(set(PRODUCT_ATTRS)) == 90

# User tags (keys exactly as a customer typed them) and one AWS tag.
TAG_KEYS = [
    ("user:Cost Center", ["CC-1001", "CC-1002", "CC-2040", "CC-3300", "CC-4711", "CC-9000"]),
    ("user:Environment", ["prod", "staging", "dev", "test", "Prod", "sandbox"]),
    ("user:Owner", ["alice@example.com", "bob@example.com", "team-data", "platform", "j.doe"]),
    ("user:Project", ["Apollo", "Hermes", "Data Lake", "Checkout v2", "ML Platform", "Billing"]),
    ("user:Application", ["web-frontend", "orders-api", "etl", "search", "auth", "reporting"]),
    ("user:Team", ["Platform", "Data", "Payments", "Growth", "SRE", "Security"]),
    ("user:BusinessUnit", ["Retail", "Wholesale", "Corporate", "R&D"]),
    ("user:Name", None),  # per-resource name
    ("user:app:tier", ["frontend", "backend", "batch", "cache"]),
    ("user:Data Classification", ["public", "internal", "confidential", "restricted"]),
    ("aws:createdBy", None),  # IAM principal
]
COST_CATEGORIES = [
    ("Charge type", ["Shared", "Direct", "Platform fee"]),
    ("Business Unit Group", ["Consumer", "Enterprise", "Shared services", "Research"]),
]

REGIONS = [  # code, usage-type prefix, price multiplier
    ("us-east-1", "", 1.0), ("us-east-2", "USE2-", 1.0), ("us-west-2", "USW2-", 1.0),
    ("eu-west-1", "EU-", 1.1), ("eu-central-1", "EUC1-", 1.15), ("ap-southeast-2", "APS2-", 1.2),
    ("ap-northeast-1", "APN1-", 1.25), ("ca-central-1", "CAN1-", 1.1),
]
REGION_WEIGHTS = [40, 15, 15, 10, 8, 5, 4, 3]

INSTANCE_TYPES = [  # type, vcpu, memory GiB, Linux on-demand $/h in us-east-1
    ("t3.micro", 2, 1, 0.0104), ("t3.small", 2, 2, 0.0208), ("t3.medium", 2, 4, 0.0416),
    ("t3.large", 2, 8, 0.0832), ("m5.large", 2, 8, 0.096), ("m5.xlarge", 4, 16, 0.192),
    ("m5.2xlarge", 8, 32, 0.384), ("m6i.large", 2, 8, 0.096), ("m6i.xlarge", 4, 16, 0.192),
    ("m7g.large", 2, 8, 0.0816), ("c5.large", 2, 4, 0.085), ("c5.xlarge", 4, 8, 0.17),
    ("c6i.2xlarge", 8, 16, 0.34), ("r5.large", 2, 16, 0.126), ("r6i.xlarge", 4, 32, 0.252),
    ("g5.xlarge", 4, 16, 1.006),
]
DB_TYPES = [("db.t3.medium", 2, 4, 0.068), ("db.m5.large", 2, 8, 0.171), ("db.r5.large", 2, 16, 0.25),
            ("db.r6g.xlarge", 4, 32, 0.43)]
CACHE_TYPES = [("cache.t3.small", 2, 1.37, 0.034), ("cache.r6g.large", 2, 13.07, 0.206)]

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def dec10(x: float) -> str:
    return f"{x:.10f}"


class Catalogue:
    """SKUs, tag profiles, accounts, commitments: small tables drawn from one seeded RNG."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.region_names = self._region_names()
        self.accounts = self._accounts()
        self.skus: list[dict] = []
        self.services: list[str] = []
        self._build_skus()
        self.tag_profiles = self._tag_profiles(4000)

    # -- helpers --------------------------------------------------------------------------
    def _sku_id(self) -> str:
        return "".join(self.rng.choice(ALNUM) for _ in range(16))

    @staticmethod
    def _region_names() -> dict[str, str]:
        names = {}
        with open(REGIONS_CSV, newline="") as f:
            for row in csv.DictReader(f):
                names[row["region_id"]] = row["region_name"]
        return names

    def _accounts(self):
        rng = self.rng
        words = ["prod", "staging", "dev", "sandbox", "data", "security", "shared", "network", "ml",
                 "payments", "web", "logs"]
        accts = []
        used = set()
        for n in range(24):
            # about a third start with a zero, a few with two
            if n % 3 == 0:
                aid = f"0{rng.randrange(10**10, 10**11):011d}"
            elif n % 8 == 1:
                aid = f"00{rng.randrange(10**9, 10**10):010d}"
            else:
                aid = f"{rng.randrange(10**11, 10**12):012d}"
            assert aid not in used and len(aid) == 12
            used.add(aid)
            name = f"{words[n % len(words)]}-{['core', 'eu', 'us', 'apac', 'int'][n % 5]}-{n:02d}"
            cc = [vals[rng.randrange(len(vals))] for _, vals in COST_CATEGORIES]
            if n % 7 == 6:
                cc[1] = None  # uncategorised
            emea = n % 5 == 3
            accts.append(dict(id=aid, name=name, cc0=cc[0], cc1=cc[1],
                              invoicing="Amazon Web Services EMEA SARL" if emea else "Amazon Web Services, Inc."))
        # Skewed spend: the first accounts carry most rows.
        w = [1.0 / (1 + i) ** 0.8 for i in range(len(accts))]
        return accts, w

    # -- SKUs -----------------------------------------------------------------------------
    def _add(self, kind: str, weight: float, pc: str, name: str, family: str, usage_type: str,
             operation: str, unit: str, rate: float, qty: str, res: str, region: str, attrs: dict,
             ri=False, sp=False, servicecode=None, term="OnDemand", desc=None, billing_entity="AWS",
             legal="Amazon Web Services, Inc."):
        rng = self.rng
        sku = self._sku_id()
        rate_s = dec10(rate)
        a = {
            "ProductName": name, "productFamily": family, "servicecode": servicecode or pc,
            "servicename": name, "sku": sku, "usagetype": usage_type, "operation": operation,
            "location": self.region_names.get(region, region) if region else None,
            "locationType": "AWS Region" if region else None, "region": region, "regionCode": region,
        }
        a.update(attrs)
        if pc not in self.services:
            self.services.append(pc)
        self.skus.append(dict(
            kind=kind, weight=weight, svc=self.services.index(pc), product_code=pc,
            usage_type=usage_type, operation=operation, unit=unit, rate=rate_s, qty=qty, res=res,
            region=region or "", sku=sku, rate_code=f"{sku}.JRTCKXETXF.{''.join(rng.choice(ALNUM) for _ in range(10))}",
            rate_id=str(rng.randrange(10**8, 10**10)), term=term, ri=ri, sp=sp,
            desc=desc or f"${rate:.10f}".rstrip("0").rstrip(".") + f" per {unit} for {usage_type}",
            billing_entity=billing_entity, legal=legal,
            attrs={k: (None if v is None else str(v)) for k, v in a.items()}))

    def _build_skus(self):
        rng = self.rng
        for (reg, pre, mult), rw in zip(REGIONS, REGION_WEIGHTS):
            loc = self.region_names.get(reg, reg)
            for itype, vcpu, mem, base in INSTANCE_TYPES:
                fam = itype.split(".")[0]
                for os_name, op, extra, osw in (("Linux", "RunInstances", 0.0, 0.85),
                                                ("Windows", "RunInstances:0002", 0.046, 0.15)):
                    rate = round((base + extra * vcpu) * mult, 6)
                    common = {
                        "instanceType": itype, "instanceFamily": "General purpose" if fam[0] in "mt" else
                        ("Compute optimized" if fam[0] == "c" else ("Memory optimized" if fam[0] == "r" else "GPU instance")),
                        "instanceTypeFamily": fam, "vcpu": vcpu, "memory": f"{mem} GiB", "tenancy": "Shared",
                        "operatingSystem": os_name, "licenseModel": "No License required" if os_name == "Linux" else "License Included",
                        "preInstalledSw": "NA", "capacitystatus": "Used", "currentGeneration": "Yes",
                        "clockSpeed": "3.1 GHz", "physicalProcessor": "Intel Xeon Platinum 8175" if fam[-1] != "g" else "AWS Graviton3",
                        "processorArchitecture": "64-bit", "processorFeatures": "Intel AVX; Intel AVX2; Intel Turbo",
                        "networkPerformance": "Up to 10 Gigabit", "dedicatedEbsThroughput": "Up to 4750 Mbps",
                        "ecu": str(vcpu * 4), "enhancedNetworkingSupported": "Yes", "intelAvxAvailable": "Yes",
                        "intelAvx2Available": "Yes", "intelTurboAvailable": "Yes", "normalizationSizeFactor": "4",
                        "storage": "EBS only", "vpcnetworkingsupport": "true", "classicnetworkingsupport": "false",
                        "marketoption": "OnDemand", "instancesku": self._sku_id(), "gpu": "1" if fam.startswith("g") else None,
                        "gpuMemory": "24 GiB" if fam.startswith("g") else None, "pricingUnit": "Hrs",
                    }
                    self._add("ec2", 30 * rw * osw / len(INSTANCE_TYPES), "AmazonEC2", "Amazon Elastic Compute Cloud",
                              "Compute Instance", f"{pre}BoxUsage:{itype}", op, "Hrs", rate, "hrs", "i", reg,
                              common, ri=True, sp=True,
                              desc=f"${rate:g} per On Demand {os_name} {itype} Instance Hour")
                    if os_name == "Linux" and itype in ("m5.large", "c5.xlarge", "m6i.xlarge", "r5.large"):
                        spot = dict(common, marketoption="Spot")
                        self._add("spot", 3 * rw / 4, "AmazonEC2", "Amazon Elastic Compute Cloud", "Compute Instance",
                                  f"{pre}SpotUsage:{itype}", "RunInstances:SV001", "Hrs", round(rate * 0.35, 6),
                                  "hrs", "i", reg, spot, term="",
                                  desc=f"${rate * 0.35:.4f} per Linux {itype} Spot Instance-hour")
            for vt, price in (("gp3", 0.08), ("gp2", 0.10), ("io2", 0.125), ("st1", 0.045)):
                self._add("ebs", 10 * rw / 4, "AmazonEC2", "Amazon Elastic Compute Cloud", "Storage",
                          f"{pre}EBS:VolumeUsage.{vt}", f"CreateVolume-{vt.capitalize()}", "GB-Mo",
                          round(price * mult, 6), "gbmo", "vol", reg,
                          {"volumeType": {"gp3": "General Purpose", "gp2": "General Purpose", "io2": "Provisioned IOPS",
                                          "st1": "Throughput Optimized HDD"}[vt],
                           "storageMedia": "SSD-backed" if vt[0] != "s" else "HDD-backed",
                           "maxVolumeSize": "16 TiB", "minVolumeSize": "1 GiB" if vt[0] == "g" else "125 GiB",
                           "maxIopsvolume": "16000", "maxThroughputvolume": "1000 MiB/s", "maxIopsBurstPerformance": "",
                           "pricingUnit": "GB-Mo"})
            self._add("snap", 3 * rw, "AmazonEC2", "Amazon Elastic Compute Cloud", "Storage Snapshot",
                      f"{pre}EBS:SnapshotUsage", "CreateSnapshot", "GB-Mo", round(0.05 * mult, 6), "gbmo", "snap",
                      reg, {"storageMedia": "Amazon S3", "pricingUnit": "GB-Mo"})
            self._add("natgw", 3 * rw, "AmazonEC2", "Amazon Elastic Compute Cloud", "NAT Gateway",
                      f"{pre}NatGateway-Hours", "NatGateway", "Hrs", round(0.045 * mult, 6), "hrs", "nat", reg,
                      {"group": "NGW:NatGateway", "groupDescription": "Hourly charge for NAT Gateways"})
            for sc, price, ut in (("Standard", 0.023, "TimedStorage-ByteHrs"), ("Intelligent-Tiering", 0.0125, "TimedStorage-INT-IA-ByteHrs"),
                                  ("Glacier Instant Retrieval", 0.004, "TimedStorage-GIR-ByteHrs")):
                self._add("s3", 7 * rw / 3, "AmazonS3", "Amazon Simple Storage Service", "Storage", f"{pre}{ut}",
                          "StandardStorage", "GB-Mo", round(price * mult, 6), "gbmo", "bucket", reg,
                          {"storageClass": sc, "durability": "99.999999999%", "availability": "99.99%",
                           "volumeType": sc, "pricingUnit": "GB-Mo"})
            for rt, price in (("Tier1", 0.000005), ("Tier2", 0.0000004)):
                self._add("s3req", 5 * rw / 2, "AmazonS3", "Amazon Simple Storage Service", "API Request",
                          f"{pre}Requests-{rt}", "PutObject" if rt == "Tier1" else "GetObject", "Requests",
                          price * mult, "req", "bucket", reg,
                          {"group": f"S3-API-{rt}", "groupDescription": "PUT/COPY/POST or LIST requests" if rt == "Tier1" else "GET and all other requests",
                           "requestType": rt, "pricingUnit": "Requests"})
            for dbt, vcpu, mem, base in DB_TYPES:
                for eng, ed in (("PostgreSQL", None), ("MySQL", None), ("Oracle", "Standard Two")):
                    self._add("rds", 6 * rw / (len(DB_TYPES) * 3), "AmazonRDS", "Amazon Relational Database Service",
                              "Database Instance", f"{pre}InstanceUsage:{dbt}", f"CreateDBInstance:{rng.randrange(2, 20):04d}",
                              "Hrs", round(base * mult * (1.6 if eng == "Oracle" else 1.0), 6), "hrs", "rds", reg,
                              {"instanceType": dbt, "vcpu": vcpu, "memory": f"{mem} GiB", "databaseEngine": eng,
                               "databaseEdition": ed, "engineCode": str(rng.randrange(2, 20)),
                               "deploymentOption": "Single-AZ" if rng.random() < 0.6 else "Multi-AZ",
                               "licenseModel": "No license required" if ed is None else "License included",
                               "instanceFamily": "General purpose", "abdInstanceClass": None, "pricingUnit": "Hrs",
                               "normalizationSizeFactor": "4", "storage": "EBS Only"}, ri=True)
            self._add("rdsstor", 2 * rw, "AmazonRDS", "Amazon Relational Database Service", "Database Storage",
                      f"{pre}RDS:GP3-Storage", "CreateDBInstance:0014", "GB-Mo", round(0.115 * mult, 6), "gbmo", "rds", reg,
                      {"volumeType": "General Purpose-GP3", "deploymentOption": "Single-AZ", "databaseEngine": "Any",
                       "maxVolumeSize": "64 TB", "minVolumeSize": "20 GB", "pricingUnit": "GB-Mo"})
            self._add("lambda", 5 * rw, "AWSLambda", "AWS Lambda", "Serverless", f"{pre}Lambda-GB-Second", "Invoke",
                      "Lambda-GB-Second", 0.0000166667, "secs", "lambda", reg,
                      {"group": "AWS-Lambda-Duration", "groupDescription": "Invocation duration", "pricingUnit": "Lambda-GB-Second"},
                      sp=True)
            self._add("lambdareq", 2 * rw, "AWSLambda", "AWS Lambda", "Serverless", f"{pre}Request", "Invoke",
                      "Requests", 0.0000002, "req", "lambda", reg,
                      {"group": "AWS-Lambda-Requests", "groupDescription": "Invocation call for a Lambda function"})
            self._add("fargate", 2 * rw, "AmazonECS", "Amazon Elastic Container Service", "Compute",
                      f"{pre}Fargate-vCPU-Hours:perCPU", "FargateTask", "hours", round(0.04048 * mult, 6), "hrs", "task",
                      reg, {"memorytype": "perCPU", "operatingSystem": "Linux"}, sp=True)
            self._add("cw", 4 * rw, "AmazonCloudWatch", "AmazonCloudWatch", "Metric", f"{pre}CW:MetricMonitorUsage",
                      "MetricStorage", "Metrics", 0.3, "cnt", "", reg, {"group": "Metric", "groupDescription": "Metric"})
            self._add("logs", 2 * rw, "AmazonCloudWatch", "AmazonCloudWatch", "Data Payload", f"{pre}DataProcessing-Bytes",
                      "PutLogEvents", "GB", round(0.5 * mult, 6), "gb", "loggroup", reg,
                      {"logsDestination": "CloudWatch Logs", "eventType": "DataProcessing-Bytes"})
            for dest_reg, dest_pre, _m in REGIONS[:4]:
                if dest_reg == reg:
                    continue
                self._add("dt", 6 * rw / 3, "AmazonEC2", "AWS Data Transfer", "Data Transfer",
                          f"{pre}{dest_pre or 'USE1-'}AWS-Out-Bytes".replace("--", "-"), "RunInstances", "GB", 0.02,
                          "gb", "i", reg,
                          {"transferType": "InterRegion Outbound", "fromLocation": loc, "fromLocationType": "AWS Region",
                           "fromRegionCode": reg, "toLocation": self.region_names.get(dest_reg, dest_reg),
                           "toLocationType": "AWS Region", "toRegionCode": dest_reg, "servicename": "AWS Data Transfer"},
                          servicecode="AWSDataTransfer")
            self._add("ddb", 4 * rw, "AmazonDynamoDB", "Amazon DynamoDB", "Amazon DynamoDB PayPerRequest Throughput",
                      f"{pre}WriteRequestUnits", "PayPerRequestThroughput", "WriteRequestUnits", round(0.00000125 * mult, 10),
                      "req", "table", reg, {"group": "DDB-WriteUnits", "groupDescription": "DynamoDB PayPerRequest Write Request Units"})
            self._add("vpce", 2 * rw, "AmazonVPC", "Amazon Virtual Private Cloud", "VpcEndpoint", f"{pre}VpcEndpoint-Hours",
                      "VpcEndpoint", "Hrs", round(0.01 * mult, 6), "hrs", "vpce", reg,
                      {"endpointType": "PrivateLink", "group": "VpcEndpoint", "groupDescription": "Hourly charge for VPC Endpoints"})
            self._add("eks", 1 * rw, "AmazonEKS", "Amazon Elastic Container Service for Kubernetes", "Compute",
                      f"{pre}AmazonEKS-Hours:perCluster", "CreateOperation", "Hrs", 0.1, "hrs", "eks", reg,
                      {"tenancy": "Shared", "operatingSystem": "Linux"})
            for ct, vcpu, mem, base in CACHE_TYPES:
                self._add("cache", 1.5 * rw / 2, "AmazonElastiCache", "Amazon ElastiCache", "Cache Instance",
                          f"{pre}NodeUsage:{ct}", "CreateCacheCluster:0002", "Hrs", round(base * mult, 6), "hrs", "cache",
                          reg, {"instanceType": ct, "vcpu": vcpu, "memory": f"{mem} GiB", "cacheEngine": "Redis",
                                "instanceFamily": "Memory optimized", "networkPerformance": "Up to 10 Gigabit"}, ri=True)
            self._add("kms", 1 * rw, "awskms", "AWS Key Management Service", "Encryption Key", f"{pre}KMS-Keys",
                      "CreateKey", "Keys", 1.0, "cnt", "key", reg, {"group": "KMS-Keys"})
            self._add("sqs", 1 * rw, "AWSQueueService", "Amazon Simple Queue Service", "API Request", f"{pre}Requests-RBP",
                      "ReceiveMessage", "Requests", 0.0000004, "req", "queue", reg,
                      {"queueType": "Standard", "messageDeliveryFrequency": "At Least Once",
                       "messageDeliveryOrder": "Not Guaranteed", "group": "SQS-APIRequest-Tier1"})
            self._add("glue", 0.8 * rw, "AWSGlue", "AWS Glue", "AWS Glue", f"{pre}ETL-DPU-Hour", "Jobrun", "DPU-Hour",
                      0.44, "hrs", "gluejob", reg, {"group": "ETL Job run", "groupDescription": "Glue ETL job"})
            self._add("athena", 0.5 * rw, "AmazonAthena", "Amazon Athena", "Serverless", f"{pre}DataScannedInTB",
                      "RunQuery", "Terabytes", 5.0, "tb", "workgroup", reg, {"freeQueryTypes": "DDL and failed queries"})
            self._add("cloudtrail", 0.7 * rw, "AWSCloudTrail", "AWS CloudTrail", "Management Tools - AWS CloudTrail Data Events Recorded",
                      f"{pre}DataEventsRecorded", "DataEvent", "Events", 0.000001, "req", "trail", reg,
                      {"group": "CloudTrail-DataEvents"})
            self._add("secrets", 0.5 * rw, "AWSSecretsManager", "AWS Secrets Manager", "Secret", f"{pre}AWSSecretsManager-Secrets",
                      "StoreSecret", "Secrets", 0.4, "cnt", "secret", reg, {})
            self._add("config", 0.5 * rw, "AWSConfig", "AWS Config", "Management Tools - AWS Config Rules",
                      f"{pre}ConfigurationItemRecorded", "None", "ConfigurationItemRecorded", 0.003, "req", "", reg, {})
        # Global services.
        self._add("r53", 1.0, "AmazonRoute53", "Amazon Route 53", "DNS Zone", "HostedZone", "", "HostedZone", 0.5, "cnt",
                  "zone", "", {"routingType": "Standard", "routingTarget": "Hosted zone"})
        self._add("r53q", 1.0, "AmazonRoute53", "Amazon Route 53", "DNS Query", "DNS-Queries", "", "Queries", 0.0000004,
                  "req", "zone", "", {"routingType": "Standard"})
        self._add("cf", 1.5, "AmazonCloudFront", "Amazon CloudFront", "Data Transfer", "US-DataTransfer-Out-Bytes",
                  "GET", "GB", 0.085, "gb", "dist", "", {"transferType": "CloudFront Outbound", "fromLocation": "United States",
                                                         "fromLocationType": "Edge Location", "toLocation": "External"})
        for n in range(3):
            pid = "prod-" + "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(13))
            self._add("mkt", 0.3, pid, f"Vendor Product {n + 1}", "", "SoftwareUsage:m5.large", "Unknown", "Hrs",
                      0.05 * (n + 1), "hrs", "i", "us-east-1", {"productType": "AMI"}, billing_entity="AWS Marketplace",
                      legal=f"Vendor {n + 1} Software LLC")
        # Bare service entries (tax, credit, refund rows): product name and service code only.
        n_services = len(self.services)
        self.bare_base = len(self.skus)
        for svc_idx, pc in enumerate(self.services):
            src = next(s for s in self.skus if s["product_code"] == pc)
            self.skus.append(dict(
                kind="bare", weight=0, svc=svc_idx, product_code=pc, usage_type="", operation="", unit="",
                rate="", qty="one", res="", region="", sku="", rate_code="", rate_id="", term="", ri=False, sp=False,
                desc="", billing_entity=src["billing_entity"], legal=src["legal"],
                attrs={"ProductName": src["attrs"]["ProductName"], "servicecode": src["attrs"]["servicecode"],
                       "servicename": src["attrs"]["servicename"]}))
        assert len(self.skus) == self.bare_base + n_services
        # Savings Plans fee and support fee products.
        self.spfee_idx = len(self.skus)
        self._add("spfee", 0, "ComputeSavingsPlans", "Savings Plans for AWS Compute usage", "", "ComputeSP:1yrNoUpfront",
                  "", "Hrs", 1.0, "one", "", "", {"productFamily": None, "usagetype": "ComputeSP:1yrNoUpfront"},
                  term="", desc="1 year No Upfront Compute Savings Plan")
        self.support_idx = len(self.skus)
        self._add("support", 0, "AWSSupportBusiness", "AWS Support (Business)", "", "Dollar", "", "Dollar", 1.0, "one",
                  "", "", {"productFamily": None}, term="", desc="AWS Support (Business)")

    def _tag_profiles(self, n: int):
        rng = self.rng
        profiles = [dict()]  # profile 0: untagged
        for p in range(1, n):
            prof = {}
            for key, vals in TAG_KEYS:
                # key-specific coverage, as tagging policies are never complete
                cover = {"user:Cost Center": 0.7, "user:Environment": 0.8, "user:Name": 0.6, "aws:createdBy": 0.5}.get(key, 0.35)
                if rng.random() >= cover:
                    continue
                if key == "user:Name":
                    prof[key] = f"{rng.choice(['web', 'api', 'db', 'etl', 'worker', 'bastion'])}-{rng.randrange(1000):03d}"
                elif key == "aws:createdBy":
                    prof[key] = f"IAMUser:AIDA{''.join(rng.choice(ALNUM) for _ in range(17))}:{rng.choice(['ci-bot', 'terraform', 'alice'])}"
                else:
                    prof[key] = rng.choice(vals)
            profiles.append(prof)
        return profiles

    # -- weighted pools: lists of SKU indexes, sampled uniformly per row ---------------------
    def pool(self, pred, size: int) -> list[int]:
        idx = [i for i, s in enumerate(self.skus) if pred(s)]
        w = [self.skus[i]["weight"] for i in idx]
        return self.rng.choices(idx, weights=w, k=size)

    def account_pool(self, size: int) -> list[int]:
        accts, w = self.accounts
        return self.rng.choices(range(len(accts)), weights=w, k=size)

    def arns(self, payer: str):
        rng = self.rng
        ri = [f"arn:aws:ec2:us-east-1:{payer}:reserved-instances/{rng.randrange(16**8):08x}-{rng.randrange(16**4):04x}-"
              f"{rng.randrange(16**4):04x}-{rng.randrange(16**4):04x}-{rng.randrange(16**12):012x}" for _ in range(20)]
        sp = [f"arn:aws:savingsplans::{payer}:savingsplan/{rng.randrange(16**8):08x}-{rng.randrange(16**4):04x}-"
              f"{rng.randrange(16**4):04x}-{rng.randrange(16**4):04x}-{rng.randrange(16**12):012x}" for _ in range(6)]
        return ri, sp


PAYER = "012345678901"
PAYER_NAME = "Example Corp Management"


# --------------------------------------------------------------------------------------------
# Loading the catalogues into DuckDB variables
# --------------------------------------------------------------------------------------------
def sql_str(v) -> str:
    if v is None:
        return "NULL"
    return "'" + str(v).replace("'", "''") + "'"


def load_catalogue(con: duckdb.DuckDBPyConnection, cat: Catalogue, tmp: Path, fmt: str):
    # SKUs -> CSV -> table -> list of structs in a variable.
    attr_cols = [f"a_{snake(a)}" for a in PRODUCT_ATTRS]
    base_cols = ["idx", "kind", "svc", "product_code", "usage_type", "operation", "unit", "rate", "qty", "res", "region",
                 "sku", "rate_code", "rate_id", "term", "ri", "sp", "descr", "billing_entity", "legal"]
    path = tmp / "skus.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(base_cols + attr_cols)
        for i, s in enumerate(cat.skus):
            w.writerow([i, s["kind"], s["svc"], s["product_code"], s["usage_type"], s["operation"], s["unit"], s["rate"],
                        s["qty"], s["res"], s["region"], s["sku"], s["rate_code"], s["rate_id"], s["term"],
                        int(s["ri"]), int(s["sp"]), s["desc"], s["billing_entity"], s["legal"]]
                       + [s["attrs"].get(a) or "" for a in PRODUCT_ATTRS])
    con.execute(f"""CREATE TEMP TABLE skut0 AS SELECT * REPLACE (rate::DECIMAL(20,10) AS rate, idx::INTEGER AS idx,
                        svc::INTEGER AS svc)
                    FROM read_csv('{path}', header=true, all_varchar=true, nullstr='')""")
    # The CUR 2.0 `product` map holds the attributes that are not top-level CUR 2.0 columns.
    top = {r["name"] for r in cur_columns()}
    map_attrs = [a for a in PRODUCT_ATTRS if f"product_{snake(a)}" not in top]
    entries = ", ".join(f"{{'k': '{snake(a)}', 'v': a_{snake(a)}}}" for a in map_attrs)
    con.execute(f"""CREATE TEMP TABLE skut AS SELECT *, map_from_entries(list_filter([{entries}],
                        lambda e: e.v IS NOT NULL)) AS pmap FROM skut0 ORDER BY idx""")
    bare_of = [cat.bare_base + sk["svc"] for sk in cat.skus]
    con.execute(f"SET VARIABLE bare_of = {bare_of}")
    # Tag profiles.
    rows = []
    for j, p in enumerate(cat.tag_profiles):
        rows.append("(" + ", ".join([str(j)] + [sql_str(p.get(k)) for k, _ in TAG_KEYS]) + ")")
    tcols = ", ".join(f"t{j} VARCHAR" for j in range(len(TAG_KEYS)))
    con.execute(f"CREATE TEMP TABLE tagp0 (idx INTEGER, {tcols})")
    con.execute(f"INSERT INTO tagp0 VALUES {', '.join(rows)}")
    cur2_keys = [athena_name(k) for k, _ in TAG_KEYS]  # user_cost_center, aws_created_by
    tentries = ", ".join(f"{{'k': '{k2}', 'v': t{j}}}" for j, k2 in enumerate(cur2_keys))
    con.execute(f"""CREATE TEMP TABLE tagp AS SELECT *, map_from_entries(list_filter([{tentries}],
                        lambda e: e.v IS NOT NULL)) AS tmap FROM tagp0 ORDER BY idx""")
    # Accounts.
    accts, _ = cat.accounts
    arows = [f"({j}, {sql_str(a['id'])}, {sql_str(a['name'])}, {sql_str(a['invoicing'])}, {sql_str(a['cc0'])}, {sql_str(a['cc1'])})"
             for j, a in enumerate(accts)]
    cc_keys = [athena_name(n) for n, _ in COST_CATEGORIES]
    con.execute("CREATE TEMP TABLE acct0 (idx INTEGER, id VARCHAR, name VARCHAR, inv VARCHAR, cc0 VARCHAR, cc1 VARCHAR)")
    con.execute(f"INSERT INTO acct0 VALUES {', '.join(arows)}")
    con.execute(f"""CREATE TEMP TABLE acct AS SELECT *, map_from_entries(list_filter(
                        [{{'k': '{cc_keys[0]}', 'v': cc0}}, {{'k': '{cc_keys[1]}', 'v': cc1}}], lambda e: e.v IS NOT NULL))
                        AS ccmap FROM acct0 ORDER BY idx""")
    for c in SKU_LIST_COLS:
        con.execute(f'SET VARIABLE s_{c} = (SELECT list("{c}" ORDER BY idx) FROM skut)')
    for c in TAG_COLS:
        con.execute(f'SET VARIABLE tg_{c} = (SELECT list("{c}" ORDER BY idx) FROM tagp)')
    for c in ACCT_COLS:
        con.execute(f'SET VARIABLE acct_{c} = (SELECT list("{c}" ORDER BY idx) FROM acct)')
    # Pools.
    con.execute(f"SET VARIABLE pool_usage = {cat.pool(lambda s: s['weight'] > 0, 20000)}")
    con.execute(f"SET VARIABLE pool_ri = {cat.pool(lambda s: s['ri'], 2000)}")
    con.execute(f"SET VARIABLE pool_sp = {cat.pool(lambda s: s['sp'], 4000)}")
    con.execute(f"SET VARIABLE pool_acct = {cat.account_pool(5000)}")
    ri, sp = cat.arns(PAYER)
    con.execute(f"SET VARIABLE ri_arns = {ri}")
    con.execute(f"SET VARIABLE sp_arns = {sp}")


_CUR_COLUMNS = None


def cur_columns():
    global _CUR_COLUMNS
    if _CUR_COLUMNS is None:
        with open(CUR_COLUMNS, newline="") as f:
            _CUR_COLUMNS = list(csv.DictReader(f))
    return _CUR_COLUMNS


# --------------------------------------------------------------------------------------------
# Row SQL
# --------------------------------------------------------------------------------------------
def month_add(y: int, m: int, k: int):
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def periods_sql(n_periods: int, seed: int):
    """VALUES rows (p, start, end, hours, inv) and the (year, month) of each period."""
    rng = random.Random(seed * 7919 + 1)
    items = []
    for p in range(n_periods):
        y, m = month_add(2024, 1, p)
        y2, m2 = month_add(y, m, 1)
        hours = calendar.monthrange(y, m)[1] * 24
        inv = "" if p == n_periods - 1 else str(rng.randrange(10**9, 10**10))  # open month: no invoice yet
        items.append(f"({p}, TIMESTAMP '{y:04d}-{m:02d}-01', TIMESTAMP '{y2:04d}-{m2:02d}-01', {hours}, '{inv}')")
    return ", ".join(items), [month_add(2024, 1, p) for p in range(n_periods)]


SKU_COLS = ["idx", "kind", "svc", "product_code", "usage_type", "operation", "unit", "rate", "qty", "res", "region",
            "sku", "rate_code", "rate_id", "term", "ri", "sp", "descr", "billing_entity", "legal"]
ACCT_COLS = ["id", "name", "inv", "cc0", "cc1", "ccmap"]
PER_COLS = ["start", "end", "hours", "inv"]
SKU_LIST_COLS = [c for c in SKU_COLS if c != "idx"] + [f"a_{snake(a)}" for a in PRODUCT_ATTRS] + ["pmap"]
TAG_COLS = [f"t{j}" for j in range(len(TAG_KEYS))] + ["tmap"]


def flatten(sql: str) -> str:
    """`s.rate`, `acct.id`, `per.hours`, `tg.t0` -> the flat column names the joins produce."""
    sql = re.sub(r'\bper\."end"', "per_end", sql)
    return re.sub(r"\b(s|acct|per|tg)\.(\w+)", r"\1_\2", sql)


def canonical_sql(seed: int, period_bounds: list[int]) -> str:
    """SELECT producing one typed, format-neutral row per i (from table ids, filtered by the caller)."""
    # Catalogue values by position from list variables (no joins: joins would not keep row order).
    looked_up = ", ".join([f"getvariable('s_{c}')[sx] AS s_{c}" for c in SKU_LIST_COLS]
                          + [f"getvariable('acct_{c}')[ax] AS acct_{c}" for c in ACCT_COLS]
                          + [f"getvariable('per_{c}')[px] AS per_{c}" for c in PER_COLS])
    # Period of row i, with period boundaries on even i so an SP pair never straddles a month.
    pexpr = " + ".join(f"(i >= {b})::INTEGER" for b in period_bounds[1:-1]) or "0"
    sql = f"""
WITH a AS (
  SELECT i,
    hash(i // 2, 1, {seed}) % 10000 < 600 AS is_pair,
    hash(i, 2, {seed}) % 10000 AS v,
    {pexpr} AS p
  FROM ids
), b AS (
  SELECT *,
    CASE WHEN is_pair THEN (CASE WHEN i % 2 = 0 THEN 'SavingsPlanCoveredUsage' ELSE 'SavingsPlanNegation' END)
         WHEN v < 600 THEN 'DiscountedUsage'
         WHEN v < 650 THEN 'RIFee'
         WHEN v < 700 THEN 'SavingsPlanRecurringFee'
         WHEN v < 730 THEN 'Fee'
         WHEN v < 830 THEN 'Tax'
         WHEN v < 900 THEN 'Credit'
         WHEN v < 920 THEN 'Refund'
         WHEN v < 1150 THEN 'EdpDiscount'
         ELSE 'Usage' END AS typ,
    CASE WHEN is_pair THEN i - i % 2 ELSE i END AS k
  FROM a
), c AS (
  SELECT *,
    getvariable('pool_acct')[1 + CAST(hash(k, 3, {seed}) % 5000 AS BIGINT)] AS a_idx,
    CASE
      WHEN typ IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation') THEN getvariable('pool_sp')[1 + CAST(hash(k, 4, {seed}) % 4000 AS BIGINT)]
      WHEN typ IN ('DiscountedUsage', 'RIFee') OR (typ = 'Fee' AND hash(k, 9, {seed}) % 2 = 0) THEN getvariable('pool_ri')[1 + CAST(hash(k, 4, {seed}) % 2000 AS BIGINT)]
      WHEN typ = 'Fee' THEN getvariable('support_idx')
      WHEN typ = 'SavingsPlanRecurringFee' THEN getvariable('spfee_idx')
      ELSE getvariable('pool_usage')[1 + CAST(hash(k, 4, {seed}) % 20000 AS BIGINT)]
    END AS s0,
    hash(k, 5, {seed}) % 1000000 / 1000000.0 AS u1,
    hash(k, 6, {seed}) % 1000000 / 1000000.0 AS u2,
    CAST(hash(k, 7, {seed}) >> 1 AS BIGINT) AS hres,
    CAST(hash(i, 8, {seed}) >> 1 AS BIGINT) AS hid
  FROM b
), d AS (
  SELECT *, {looked_up}
  FROM (SELECT c.*, CASE WHEN typ IN ('Tax', 'Credit', 'Refund') THEN getvariable('bare_of')[s0 + 1] ELSE s0 END + 1 AS sx,
               a_idx + 1 AS ax, p + 1 AS px,
               typ IN ('RIFee', 'Fee', 'Tax', 'Credit', 'Refund') AS monthly,
               -- resource number: a pool per account and kind, so a resource recurs across hours
               hres % 3000 AS rn
        FROM c) c
), e AS (
  SELECT *,
    CASE WHEN monthly THEN per.start ELSE per.start + to_hours((hash(k, 10, {seed}) % per.hours)::BIGINT) END AS t0,
    CASE WHEN monthly THEN per."end" ELSE per.start + to_hours((hash(k, 10, {seed}) % per.hours)::BIGINT + 1) END AS t1,
    CASE WHEN s.region = '' THEN NULL ELSE s.region || ['a', 'b', 'c'][1 + hres % 3] END AS az0,
    -- usage amount, exact to 10 decimals
    CAST(CASE s.qty
      WHEN 'hrs' THEN CASE WHEN u1 < 0.9 THEN 1 ELSE round(u2, 4) END
      WHEN 'gbmo' THEN round((1 + (hres % 2000)) / per.hours, 10)
      WHEN 'gb' THEN round(u1 * u1 * u1 * u1 * 40, 10)
      WHEN 'req' THEN floor(1 + u1 * u1 * 200000)
      WHEN 'secs' THEN round(u1 * 7200, 3)
      WHEN 'cnt' THEN round((1 + hres % 50) / per.hours, 10)
      WHEN 'tb' THEN round(u1 * u1 * 0.5, 10)
      ELSE 1 END AS DECIMAL(20,10)) AS q0,
    s.rate AS r0
  FROM d
), f AS (
  SELECT *,
    CAST(round(q0 * r0, 10) AS DECIMAL(20,10)) AS odc,
    getvariable('ri_arns')[1 + hres % 20] AS ri_arn0,
    getvariable('sp_arns')[1 + hres % 6] AS sp_arn0,
    CASE s.res
      WHEN 'i' THEN 'i-0' || lower(lpad(hex(hash(rn, acct.id, 11)), 16, '0'))
      WHEN 'vol' THEN 'vol-0' || lower(lpad(hex(hash(rn, acct.id, 12)), 16, '0'))
      WHEN 'snap' THEN 'arn:aws:ec2:' || s.region || ':' || acct.id || ':snapshot/snap-0' || lower(lpad(hex(hash(rn, acct.id, 13)), 16, '0'))
      WHEN 'nat' THEN 'arn:aws:ec2:' || s.region || ':' || acct.id || ':natgateway/nat-0' || lower(lpad(hex(hash(rn % 40, acct.id, 14)), 16, '0'))
      WHEN 'bucket' THEN ['analytics', 'web-assets', 'backups', 'logs', 'ml-training', 'cur-exports'][1 + rn % 6] || '-' || acct.id || '-' || (rn % 97)
      WHEN 'lambda' THEN 'arn:aws:lambda:' || s.region || ':' || acct.id || ':function:' || ['orders', 'auth', 'thumbnails', 'etl', 'webhook'][1 + rn % 5] || '-' || (rn % 211)
      WHEN 'rds' THEN 'arn:aws:rds:' || s.region || ':' || acct.id || ':db:' || ['orders', 'users', 'catalog', 'ledger'][1 + rn % 4] || '-db-' || (rn % 53)
      WHEN 'task' THEN 'arn:aws:ecs:' || s.region || ':' || acct.id || ':task/cluster-' || (rn % 7) || '/' || lower(lpad(hex(hash(rn, 15)), 16, '0'))
      WHEN 'loggroup' THEN 'arn:aws:logs:' || s.region || ':' || acct.id || ':log-group:/aws/lambda/fn-' || (rn % 301)
      WHEN 'table' THEN 'arn:aws:dynamodb:' || s.region || ':' || acct.id || ':table/' || ['Orders', 'Sessions', 'Events'][1 + rn % 3] || '-' || (rn % 29)
      WHEN 'vpce' THEN 'arn:aws:ec2:' || s.region || ':' || acct.id || ':vpc-endpoint/vpce-0' || lower(lpad(hex(hash(rn % 60, acct.id, 16)), 16, '0'))
      WHEN 'eks' THEN 'arn:aws:eks:' || s.region || ':' || acct.id || ':cluster/k8s-' || ['prod', 'staging', 'dev'][1 + rn % 3]
      WHEN 'cache' THEN 'arn:aws:elasticache:' || s.region || ':' || acct.id || ':cluster:redis-' || (rn % 17)
      WHEN 'key' THEN 'arn:aws:kms:' || s.region || ':' || acct.id || ':key/' || lower(lpad(hex(hash(rn % 80, 17)), 16, '0'))
      WHEN 'queue' THEN 'arn:aws:sqs:' || s.region || ':' || acct.id || ':jobs-' || (rn % 41)
      WHEN 'gluejob' THEN 'arn:aws:glue:' || s.region || ':' || acct.id || ':job/nightly-' || (rn % 13)
      WHEN 'workgroup' THEN 'arn:aws:athena:' || s.region || ':' || acct.id || ':workgroup/primary'
      WHEN 'trail' THEN 'arn:aws:cloudtrail:' || s.region || ':' || acct.id || ':trail/org-trail'
      WHEN 'secret' THEN 'arn:aws:secretsmanager:' || s.region || ':' || acct.id || ':secret:app/' || (rn % 37)
      WHEN 'zone' THEN 'arn:aws:route53:::hostedzone/Z' || upper(lpad(hex(hash(rn % 25, acct.id, 18)), 13, '0'))[1:13]
      WHEN 'dist' THEN 'arn:aws:cloudfront::' || acct.id || ':distribution/E' || upper(lpad(hex(hash(rn % 9, acct.id, 19)), 13, '0'))[1:13]
    END AS res_id
  FROM e
)
SELECT
  *,
  -- identity
  md5(hid::VARCHAR) || lower(lpad(hex(hash(hid, 20)), 16, '0')) || lower(lpad(hex(hash(hid, 21)), 16, '0'))[1:4] AS line_item_id,
  -- bill
  CASE typ WHEN 'Refund' THEN 'Refund' WHEN 'Fee' THEN (CASE WHEN s.ri = '1' THEN 'Purchase' ELSE 'Anniversary' END) ELSE 'Anniversary' END AS bill_type,
  -- line item type dependent values
  CASE WHEN typ IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage', 'SavingsPlanNegation') THEN res_id END AS resource_id,
  CASE WHEN typ IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage', 'SavingsPlanNegation', 'EdpDiscount') AND s.qty = 'hrs'
            AND s.res IN ('i', 'rds', 'cache', 'nat') THEN az0 END AS az,
  CASE typ
    WHEN 'Tax' THEN 1::DECIMAL(20,10)
    WHEN 'Credit' THEN 0::DECIMAL(20,10) WHEN 'Refund' THEN 0::DECIMAL(20,10) WHEN 'EdpDiscount' THEN 0::DECIMAL(20,10)
    WHEN 'RIFee' THEN CAST(per.hours * (1 + hres % 4) AS DECIMAL(20,10))
    WHEN 'Fee' THEN CAST(CASE WHEN s.ri = '1' THEN 1 + hres % 4 ELSE 1 END AS DECIMAL(20,10))
    WHEN 'SavingsPlanRecurringFee' THEN 1::DECIMAL(20,10)
    ELSE q0 END AS usage_amount,
  CASE typ
    WHEN 'Usage' THEN r0
    WHEN 'SavingsPlanCoveredUsage' THEN r0
    WHEN 'SavingsPlanNegation' THEN -r0
    WHEN 'DiscountedUsage' THEN 0::DECIMAL(20,10)
    WHEN 'RIFee' THEN CAST(round(r0 * 0.62, 10) AS DECIMAL(20,10))
    WHEN 'SavingsPlanRecurringFee' THEN CAST(5 * (1 + hres % 6) AS DECIMAL(20,10))
  END AS unblended_rate,
  CAST(CASE typ
    WHEN 'Usage' THEN odc
    WHEN 'SavingsPlanCoveredUsage' THEN odc
    WHEN 'SavingsPlanNegation' THEN -odc
    WHEN 'DiscountedUsage' THEN 0
    WHEN 'RIFee' THEN round(round(r0 * 0.62, 10) * per.hours * (1 + hres % 4), 10)
    WHEN 'SavingsPlanRecurringFee' THEN 5 * (1 + hres % 6)
    WHEN 'Fee' THEN CASE WHEN s.ri = '1' THEN round(r0 * 0.38 * 8760, 2) * (1 + hres % 4) ELSE 100 + (hres % 900) END
    WHEN 'Tax' THEN round(u1 * 80, 2) + 0.01
    WHEN 'Credit' THEN -(round(u1 * 150, 2) + 0.01)
    WHEN 'Refund' THEN -(round(u1 * 40, 2) + 0.01)
    WHEN 'EdpDiscount' THEN -round(odc * 0.05, 10)
  END AS DECIMAL(20,10)) AS unblended_cost,
  -- the payer has an EDP (5 %): the net columns are populated everywhere
  CAST(CASE typ
    WHEN 'Usage' THEN round(odc * 0.95, 10)
    WHEN 'SavingsPlanCoveredUsage' THEN round(odc * 0.95, 10)
    WHEN 'SavingsPlanNegation' THEN -round(odc * 0.95, 10)
    WHEN 'DiscountedUsage' THEN 0
    WHEN 'RIFee' THEN round(round(round(r0 * 0.62, 10) * per.hours * (1 + hres % 4), 10) * 0.95, 10)
    WHEN 'SavingsPlanRecurringFee' THEN 5 * (1 + hres % 6)
    WHEN 'Fee' THEN CASE WHEN s.ri = '1' THEN round(r0 * 0.38 * 8760, 2) * (1 + hres % 4) ELSE 100 + (hres % 900) END
    WHEN 'Tax' THEN round(u1 * 80, 2) + 0.01
    WHEN 'Credit' THEN -(round(u1 * 150, 2) + 0.01)
    WHEN 'Refund' THEN -(round(u1 * 40, 2) + 0.01)
    WHEN 'EdpDiscount' THEN 0
  END AS DECIMAL(20,10)) AS net_unblended_cost,
  CASE WHEN typ IN ('Usage', 'SavingsPlanCoveredUsage') THEN CAST(round(r0 * 0.95, 10) AS DECIMAL(20,10))
       WHEN typ = 'SavingsPlanNegation' THEN -CAST(round(r0 * 0.95, 10) AS DECIMAL(20,10)) END AS net_unblended_rate,
  CASE WHEN typ IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage', 'RIFee') THEN r0 END AS od_rate,
  CASE WHEN typ IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage') THEN odc
       WHEN typ = 'RIFee' THEN CAST(round(r0 * per.hours * (1 + hres % 4), 10) AS DECIMAL(20,10)) END AS od_cost,
  CASE WHEN typ IN ('Usage', 'SavingsPlanCoveredUsage') THEN CAST(-round(odc * 0.05, 10) AS DECIMAL(20,10))
       WHEN typ = 'EdpDiscount' THEN CAST(-round(odc * 0.05, 10) AS DECIMAL(20,10)) END AS edp_discount,
  CASE
    WHEN typ = 'Usage' THEN s.descr
    WHEN typ = 'DiscountedUsage' THEN 'USD ' || round(r0 * 0.62, 4) || ' hourly fee per ' || s.usage_type || ' (reserved)'
    WHEN typ = 'SavingsPlanCoveredUsage' THEN s.descr
    WHEN typ = 'SavingsPlanNegation' THEN 'SavingsPlanNegation used by AccountId : ' || acct.id || ' and UsageSku : ' || s.sku
    WHEN typ = 'RIFee' THEN 'USD ' || round(r0 * 0.62, 4) || ' hourly fee per ' || s.usage_type || ', ' || (1 + hres % 4) || ' reserved'
    WHEN typ = 'SavingsPlanRecurringFee' THEN '1 year No Upfront Compute Savings Plan'
    WHEN typ = 'Fee' THEN CASE WHEN s.ri = '1' THEN 'Sign up charge for subscription: ' || (hres % 900000000) || ', planId: ' || (hres % 9000) ELSE 'AWS Support (Business)' END
    WHEN typ = 'Tax' THEN 'Tax for product code ' || s.product_code
    WHEN typ = 'Credit' THEN 'AWS Credits - Promotional (' || s.product_code || ')'
    WHEN typ = 'Refund' THEN 'Refund for ' || s.product_code || ' service credit'
    WHEN typ = 'EdpDiscount' THEN 'Enterprise Program Discount'
  END AS description,
  CASE WHEN typ = 'Tax' THEN (CASE WHEN acct.inv LIKE '%EMEA%' THEN 'VAT' ELSE 'US Sales Tax' END) END AS tax_type,
  CASE WHEN typ IN ('Tax', 'Credit', 'Refund') THEN NULL WHEN typ = 'DiscountedUsage' THEN 'Reserved'
       WHEN typ = 'RIFee' THEN 'Reserved' ELSE nullif(s.term, '') END AS pricing_term,
  CASE WHEN typ IN ('DiscountedUsage', 'RIFee') OR (typ = 'Fee' AND s.ri = '1') THEN ri_arn0 END AS ri_arn,
  CASE WHEN typ IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation', 'SavingsPlanRecurringFee') THEN sp_arn0 END AS sp_arn,
  CASE WHEN typ = 'DiscountedUsage' THEN CAST(round(odc * 0.62, 10) AS DECIMAL(20,10)) END AS ri_eff,
  CASE WHEN typ = 'DiscountedUsage' THEN CAST(round(round(odc * 0.62, 10) * 0.95, 10) AS DECIMAL(20,10)) END AS ri_net_eff,
  CASE WHEN typ = 'DiscountedUsage' THEN CAST(round(odc * 0.62 * 0.4, 10) AS DECIMAL(20,10)) END AS ri_amort_usage,
  CASE WHEN typ = 'DiscountedUsage' THEN CAST(round(odc * 0.62, 10) - round(odc * 0.62 * 0.4, 10) AS DECIMAL(20,10)) END AS ri_recurring_usage,
  CASE WHEN typ = 'RIFee' THEN CAST(round(r0 * 0.62 * per.hours * (1 + hres % 4) * 0.4, 10) AS DECIMAL(20,10)) END AS ri_amort_period,
  CASE WHEN typ = 'RIFee' THEN CAST(round(r0 * 0.62 * per.hours * (1 + hres % 4) * 0.4 * u2 * 0.3, 10) AS DECIMAL(20,10)) END AS ri_unused_amort,
  CASE WHEN typ = 'RIFee' THEN CAST(round(r0 * 0.62 * per.hours * (1 + hres % 4) * 0.4 * u2 * 0.3 * 0.95, 10) AS DECIMAL(20,10)) END AS ri_net_unused_amort,
  CASE WHEN typ = 'RIFee' THEN CAST(round(r0 * 0.62 * per.hours * (1 + hres % 4) * 0.6 * u2 * 0.3, 10) AS DECIMAL(20,10)) END AS ri_unused_rec,
  CASE WHEN typ = 'RIFee' THEN CAST(round(r0 * 0.62 * per.hours * (1 + hres % 4) * 0.6 * u2 * 0.3 * 0.95, 10) AS DECIMAL(20,10)) END AS ri_net_unused_rec,
  CASE WHEN typ IN ('RIFee', 'Fee') AND s.ri = '1' THEN CAST(per.hours * (1 + hres % 4) AS DECIMAL(20,10)) END AS ri_units,
  CASE WHEN typ IN ('DiscountedUsage', 'RIFee', 'Fee') AND s.ri = '1' THEN CAST(1 + hres % 4 AS DECIMAL(20,10)) END AS ri_count,
  CASE WHEN typ IN ('DiscountedUsage', 'RIFee', 'Fee') AND s.ri = '1' THEN '2023-0' || (1 + hres % 9) || '-15T00:00:00.000Z' END AS ri_start,
  CASE WHEN typ IN ('DiscountedUsage', 'RIFee', 'Fee') AND s.ri = '1' THEN '2026-0' || (1 + hres % 9) || '-15T00:00:00.000Z' END AS ri_end,
  CASE WHEN typ = 'SavingsPlanCoveredUsage' THEN CAST(round(odc * 0.72, 10) AS DECIMAL(20,10)) END AS sp_eff,
  CASE WHEN typ = 'SavingsPlanCoveredUsage' THEN CAST(round(round(odc * 0.72, 10) * 0.95, 10) AS DECIMAL(20,10)) END AS sp_net_eff,
  CASE WHEN typ IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation') THEN CAST(round(r0 * 0.72, 10) AS DECIMAL(20,10)) END AS sp_rate,
  CASE WHEN typ = 'SavingsPlanRecurringFee' THEN CAST(5 * (1 + hres % 6) AS DECIMAL(20,10)) END AS sp_total_commit,
  CASE WHEN typ = 'SavingsPlanRecurringFee' THEN CAST(round(5 * (1 + hres % 6) * (0.75 + 0.25 * u2), 10) AS DECIMAL(20,10)) END AS sp_used_commit,
  CASE WHEN typ = 'SavingsPlanRecurringFee' THEN CAST(5 * (1 + hres % 6) * per.hours AS DECIMAL(20,10)) END AS sp_recurring_period,
  CASE WHEN typ = 'SavingsPlanRecurringFee' THEN 0::DECIMAL(20,10) END AS sp_amort_upfront,
  CASE WHEN typ IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation', 'SavingsPlanRecurringFee') THEN 'ComputeSavingsPlans' END AS sp_offering,
  CASE WHEN typ IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation', 'SavingsPlanRecurringFee') THEN 'No Upfront' END AS sp_payment,
  CASE WHEN typ IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation', 'SavingsPlanRecurringFee') THEN '1yr' END AS sp_term,
  CASE WHEN typ IN ('DiscountedUsage', 'RIFee') THEN '1yr' END AS lease_length,
  CASE WHEN typ IN ('DiscountedUsage', 'RIFee') THEN 'standard' END AS offering_class,
  CASE WHEN typ IN ('DiscountedUsage', 'RIFee') THEN 'No Upfront' END AS purchase_option,
  -- resource tags: stable per resource (profile chosen from the resource number)
  CASE WHEN res_id IS NOT NULL AND typ IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage', 'SavingsPlanNegation')
       THEN 1 + CAST(hash(rn, acct.id, 21) % 3999 AS BIGINT) ELSE 0 END AS tg_idx
FROM f
"""
    head, tail = sql.split("), e AS (", 1)
    sql = head + "), e AS (" + flatten(tail)
    tags = ", ".join(f"getvariable('tg_{c}')[tg_idx + 1] AS tg_{c}" for c in TAG_COLS)
    return f"SELECT *, {tags} FROM ({sql}) z"


# Canonical columns: (CUR 1.0 header, expression over the canonical row, kind)
# kinds: s string, d amount (DOUBLE in Parquet), r rate/units (string in Parquet), t usage timestamp,
#        tb billing-period timestamp
def core_columns():
    return [
        ("identity/LineItemId", "line_item_id", "s"),
        ("identity/TimeInterval", "strftime(t0, '%Y-%m-%dT%H:%M:%SZ') || '/' || strftime(t1, '%Y-%m-%dT%H:%M:%SZ')", "s"),
        ("bill/InvoiceId", "nullif(per.inv, '')", "s"),
        ("bill/InvoicingEntity", "acct.inv", "s"),
        ("bill/BillingEntity", "s.billing_entity", "s"),
        ("bill/BillType", "bill_type", "s"),
        ("bill/PayerAccountId", f"'{PAYER}'", "s"),
        ("bill/BillingPeriodStartDate", "per.start", "tb"),
        ("bill/BillingPeriodEndDate", "per.\"end\"", "tb"),
        ("lineItem/UsageAccountId", "acct.id", "s"),
        ("lineItem/LineItemType", "typ", "s"),
        ("lineItem/UsageStartDate", "t0", "t"),
        ("lineItem/UsageEndDate", "t1", "t"),
        ("lineItem/ProductCode", "s.product_code", "s"),
        ("lineItem/UsageType", "nullif(s.usage_type, '')", "s"),
        ("lineItem/Operation", "nullif(s.operation, '')", "s"),
        ("lineItem/AvailabilityZone", "az", "s"),
        ("lineItem/ResourceId", "resource_id", "s"),
        ("lineItem/UsageAmount", "usage_amount", "d"),
        ("lineItem/NormalizationFactor", "CASE WHEN s.res IN ('i', 'rds', 'cache') AND typ IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage') THEN 4::DECIMAL(20,10) END", "d"),
        ("lineItem/NormalizedUsageAmount", "CASE WHEN s.res IN ('i', 'rds', 'cache') AND typ IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage') THEN usage_amount * 4 END", "d"),
        ("lineItem/CurrencyCode", "'USD'", "s"),
        ("lineItem/UnblendedRate", "unblended_rate", "r"),
        ("lineItem/UnblendedCost", "unblended_cost", "d"),
        ("lineItem/BlendedRate", "unblended_rate", "r"),
        ("lineItem/BlendedCost", "unblended_cost", "d"),
        ("lineItem/NetUnblendedRate", "net_unblended_rate", "r"),
        ("lineItem/NetUnblendedCost", "net_unblended_cost", "d"),
        ("lineItem/LineItemDescription", "description", "s"),
        ("lineItem/TaxType", "tax_type", "s"),
        ("lineItem/LegalEntity", "s.legal", "s"),
    ]


def tail_columns():
    return [
        ("pricing/RateCode", "CASE WHEN typ IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage') THEN nullif(s.rate_code, '') END", "s"),
        ("pricing/RateId", "CASE WHEN typ IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage') THEN nullif(s.rate_id, '') END", "s"),
        ("pricing/currency", "CASE WHEN typ IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage', 'RIFee') THEN 'USD' END", "s"),
        ("pricing/publicOnDemandCost", "od_cost", "d"),
        ("pricing/publicOnDemandRate", "od_rate", "r"),
        ("pricing/term", "pricing_term", "s"),
        ("pricing/unit", "CASE WHEN typ NOT IN ('Tax', 'Credit', 'Refund') THEN nullif(s.unit, '') END", "s"),
        ("pricing/LeaseContractLength", "lease_length", "s"),
        ("pricing/OfferingClass", "offering_class", "s"),
        ("pricing/PurchaseOption", "purchase_option", "s"),
        ("reservation/AmortizedUpfrontCostForUsage", "ri_amort_usage", "d"),
        ("reservation/AmortizedUpfrontFeeForBillingPeriod", "ri_amort_period", "d"),
        ("reservation/EffectiveCost", "ri_eff", "d"),
        ("reservation/EndTime", "ri_end", "s"),
        ("reservation/NetEffectiveCost", "ri_net_eff", "d"),
        ("reservation/NetUnusedAmortizedUpfrontFeeForBillingPeriod", "ri_net_unused_amort", "d"),
        ("reservation/NetUnusedRecurringFee", "ri_net_unused_rec", "d"),
        ("reservation/NumberOfReservations", "ri_count", "r"),
        ("reservation/RecurringFeeForUsage", "ri_recurring_usage", "d"),
        ("reservation/ReservationARN", "ri_arn", "s"),
        ("reservation/StartTime", "ri_start", "s"),
        ("reservation/TotalReservedUnits", "ri_units", "r"),
        ("reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "ri_unused_amort", "d"),
        ("reservation/UnusedRecurringFee", "ri_unused_rec", "d"),
        ("savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod", "sp_amort_upfront", "d"),
        ("savingsPlan/NetSavingsPlanEffectiveCost", "sp_net_eff", "d"),
        ("savingsPlan/OfferingType", "sp_offering", "s"),
        ("savingsPlan/PaymentOption", "sp_payment", "s"),
        ("savingsPlan/PurchaseTerm", "sp_term", "s"),
        ("savingsPlan/RecurringCommitmentForBillingPeriod", "sp_recurring_period", "d"),
        ("savingsPlan/SavingsPlanARN", "sp_arn", "s"),
        ("savingsPlan/SavingsPlanEffectiveCost", "sp_eff", "d"),
        ("savingsPlan/SavingsPlanRate", "sp_rate", "d"),
        ("savingsPlan/TotalCommitmentToDate", "sp_total_commit", "d"),
        ("savingsPlan/UsedCommitment", "sp_used_commit", "d"),
        ("discount/EdpDiscount", "edp_discount", "d"),
        ("discount/TotalDiscount", "edp_discount", "d"),
    ]


def product_columns():
    # Tax/credit/refund rows use a bare service entry; other attributes blank as in real CUR.
    return [(f"product/{a}", f"s.a_{snake(a)}", "s") for a in PRODUCT_ATTRS]


def tag_columns():
    return [(f"resourceTags/{k}", f"tg.t{j}", "s") for j, (k, _) in enumerate(TAG_KEYS)]


def cc_columns():
    return [(f"costCategory/{n}", f"acct.cc{j}", "s") for j, (n, _) in enumerate(COST_CATEGORIES)]


def cur1_columns():
    return core_columns() + product_columns() + tail_columns() + tag_columns() + cc_columns()


def java_double_sql(x: str) -> str:
    """SQL that formats the DECIMAL/DOUBLE expression x the way Java's Double.toString does (what
    AWS writes in CUR CSV): 0.096, 1.0, 100.0, 1.81E-8, 5.0E-4."""
    d = f"CAST({x} AS DOUBLE)"
    s = f"CAST(abs({d}) AS VARCHAR)"
    digits = f"rtrim(ltrim(replace({s}, '.', ''), '0'), '0')"
    plain_exp = (f"CASE WHEN split_part({s}, '.', 1) <> '0' THEN length(split_part({s}, '.', 1)) - 1 "
                 f"ELSE -(length(split_part({s}, '.', 2)) - length(ltrim(split_part({s}, '.', 2), '0')) + 1) END")
    plain_sci = (f"({digits})[1:1] || '.' || coalesce(nullif(({digits})[2:], ''), '0') || 'E' || CAST({plain_exp} AS VARCHAR)")
    e_sci = (f"(CASE WHEN contains(split_part({s}, 'e', 1), '.') THEN split_part({s}, 'e', 1) ELSE split_part({s}, 'e', 1) || '.0' END)"
             f" || 'E' || CAST(CAST(split_part({s}, 'e', 2) AS INTEGER) AS VARCHAR)")
    return (f"CASE WHEN {x} IS NULL THEN NULL WHEN {d} = 0 THEN '0.0' ELSE "
            f"(CASE WHEN {d} < 0 THEN '-' ELSE '' END) || "
            f"CASE WHEN abs({d}) >= 0.001 AND abs({d}) < 10000000 THEN "
            f"(CASE WHEN contains({s}, '.') THEN {s} ELSE {s} || '.0' END) "
            f"WHEN contains({s}, 'e') THEN {e_sci} ELSE {plain_sci} END END")


def qident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def select_cur1_csv() -> str:
    items = []
    for header, expr, kind in cur1_columns():
        if kind == "s":
            v = expr
        elif kind in ("d", "r"):
            v = java_double_sql(expr)
        elif kind == "t":
            v = f"strftime({expr}, '%Y-%m-%dT%H:%M:%SZ')"
        elif kind == "tb":
            v = f"strftime({expr}, '%Y-%m-%dT%H:%M:%S.000Z')"
        items.append(f"{v} AS {qident(header)}")
    return flatten(",\n  ".join(items))


def athena_columns():
    cols = cur1_columns()
    names = [athena_name(h) for h, _, _ in cols]
    assert len(names) == len(set(names)), "Athena name collision"
    return list(zip(names, cols))


def select_athena() -> str:
    items = []
    for name, (_h, expr, kind) in athena_columns():
        if kind == "s":
            v = f"coalesce({expr}, '')"
        elif kind == "d":
            v = f"coalesce(CAST({expr} AS DOUBLE), 0.0)"
        elif kind == "r":
            v = f"coalesce(CAST(CAST({expr} AS DECIMAL(38,10)) AS VARCHAR), '')"
        else:
            v = f"CAST({expr} AS TIMESTAMP_MS)"
        items.append(f"{v} AS {name}")
    return flatten(",\n  ".join(items))


def select_cur2() -> tuple[str, int]:
    """All columns of sql/aws/cur_columns.csv, in that order; ours filled, the rest typed NULLs."""
    ours = {}
    for h, expr, kind in core_columns() + tail_columns():
        ours[athena_name(h)] = (expr, kind)
    for a in PRODUCT_ATTRS:
        ours.setdefault(f"product_{snake(a)}", (f"s.a_{snake(a)}", "s"))
    ours["bill_payer_account_name"] = (f"'{PAYER_NAME}'", "s")
    ours["line_item_usage_account_name"] = ("acct.name", "s")
    ours["product"] = ("s.pmap", "map")
    ours["resource_tags"] = ("tg.tmap", "map")
    ours["cost_category"] = ("acct.ccmap", "map")
    ours["discount"] = ("CASE WHEN edp_discount IS NULL THEN MAP {}::MAP(VARCHAR, DOUBLE) "
                        "ELSE MAP {'edp_discount': CAST(edp_discount AS DOUBLE)} END", "map")
    items = []
    n_ts = 0
    for col in cur_columns():
        name, typ, note = col["name"], col["type"], col["notes"]
        as_string = "stored as string" in note
        if name in ours:
            expr, kind = ours[name]
            if kind == "map" or kind == "s":
                v = expr
            elif typ == "TIMESTAMPTZ":
                v = f"CAST({expr} AS TIMESTAMP_MS)"
            elif typ == "DECIMAL" and as_string:
                v = f"CAST(CAST({expr} AS DECIMAL(38,10)) AS VARCHAR)"
            elif typ == "DECIMAL":
                v = f"CAST({expr} AS DOUBLE)"
            else:
                v = expr
        else:
            sqlt = {"VARCHAR": "VARCHAR", "DECIMAL": "VARCHAR" if as_string else "DOUBLE", "TIMESTAMPTZ": "TIMESTAMP_MS",
                    "MAP_VARCHAR": "MAP(VARCHAR, VARCHAR)", "MAP_DECIMAL": "MAP(VARCHAR, DOUBLE)"}[typ]
            v = f"CAST(NULL AS {sqlt})"
        if typ == "TIMESTAMPTZ":
            n_ts += 1
        items.append(f"{v} AS {name}")
    return flatten(",\n  ".join(items)), n_ts


# --------------------------------------------------------------------------------------------
# Parquet footer patch: TIMESTAMP(MILLIS, isAdjustedToUTC=false) -> true
# --------------------------------------------------------------------------------------------
class _Compact:
    """Just enough of the Thrift compact protocol to walk a Parquet FileMetaData."""

    def __init__(self, buf: bytes):
        self.b = buf
        self.hits: list[int] = []

    def varint(self, p):
        shift = out = 0
        while True:
            c = self.b[p]
            p += 1
            out |= (c & 0x7F) << shift
            if not c & 0x80:
                return out, p
            shift += 7

    def skip(self, p, t, path):
        if t in (1, 2):  # bool inside a list is one byte; as a field it lives in the header
            return p
        if t == 3:
            return p + 1
        if t in (4, 5, 6):
            return self.varint(p)[1]
        if t == 7:
            return p + 8
        if t == 8:
            n, p = self.varint(p)
            return p + n
        if t in (9, 10):
            h = self.b[p]
            p += 1
            n, et = h >> 4, h & 0x0F
            if n == 15:
                n, p = self.varint(p)
            for _ in range(n):
                p = p + 1 if et in (1, 2) else self.skip(p, et, path + [-1])
            return p
        if t == 11:
            n, p = self.varint(p)
            if n:
                kt, vt = self.b[p] >> 4, self.b[p] & 0x0F
                p += 1
                for _ in range(n):
                    p = self.skip(p, kt, path)
                    p = self.skip(p, vt, path)
            return p
        if t == 12:
            return self.struct(p, path)
        raise ValueError(f"thrift type {t}")

    def struct(self, p, path):
        last = 0
        while True:
            h = self.b[p]
            if h == 0:
                return p + 1
            hp = p
            p += 1
            delta, t = h >> 4, h & 0x0F
            if delta:
                fid = last + delta
            else:
                z, p = self.varint(p)
                fid = (z >> 1) ^ -(z & 1)
            last = fid
            fpath = path + [fid]
            # FileMetaData.schema(2)[*].logicalType(10).TIMESTAMP(8).isAdjustedToUTC(1)
            if fpath == [2, -1, 10, 8, 1] and t in (1, 2):
                self.hits.append(hp)
            p = self.skip(p, t, fpath)


def patch_utc(path: Path, expect: int):
    data = bytearray(path.read_bytes())
    assert data[-4:] == b"PAR1"
    flen = int.from_bytes(data[-8:-4], "little")
    start = len(data) - 8 - flen
    walker = _Compact(bytes(data[start:start + flen]))
    walker.struct(0, [])
    if len(walker.hits) != expect:
        raise RuntimeError(f"{path}: expected {expect} timestamp columns in the footer, found {len(walker.hits)}")
    for hp in walker.hits:
        h = data[start + hp]
        data[start + hp] = (h & 0xF0) | 0x01  # BOOLEAN_FALSE(2) -> BOOLEAN_TRUE(1)
    path.write_bytes(bytes(data))


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------
def even_bounds(n: int, parts: int) -> list[int]:
    b = [2 * ((j * n // parts) // 2) for j in range(parts)] + [n]
    return b


def plan_files(fmt: str, rows: int, files: int, n_periods: int, out: Path, months):
    """[(lo, hi, path)] slices of row numbers, one per output file."""
    pb = even_bounds(rows, n_periods)
    plan = []
    if fmt == "cur1-athena-parquet":
        k = max(files, n_periods)
        per_period = [k // n_periods + (1 if p < k % n_periods else 0) for p in range(n_periods)]
        for p in range(n_periods):
            y, m = months[p]
            lo, hi = pb[p], pb[p + 1]
            fb = even_bounds(hi - lo, per_period[p])
            for j in range(per_period[p]):
                plan.append((lo + fb[j], lo + fb[j + 1],
                             out / f"year={y}" / f"month={m}" / f"{REPORT}-{j + 1:05d}.snappy.parquet"))
    else:
        ext = ".csv.gz" if fmt == "cur1-csv-gz" else ".snappy.parquet"
        stem = REPORT if fmt == "cur1-csv-gz" else "bench-cur2"
        fb = even_bounds(rows, files)
        for j in range(files):
            path = out if files == 1 else out / f"{stem}-{j + 1:05d}{ext}"
            plan.append((fb[j], fb[j + 1], path))
    return pb, plan


def generate(rows: int, fmt: str, out: Path, seed: int = 42, files: int = 1, n_periods: int = 3,
             threads: int | None = None, quiet: bool = False, memory_limit: str | None = None) -> dict:
    if fmt not in FORMATS:
        raise SystemExit(f"unknown format {fmt}; one of {', '.join(FORMATS)}")
    if rows < 2 * n_periods * max(files, 1):
        raise SystemExit("--rows too small for the number of periods and files")
    t_start = time.time()
    out = Path(out)
    # Write into a sibling temp path, then move into place: a killed run never leaves a half dataset.
    tmp_out = out.with_name(out.name + ".tmp")
    if tmp_out.exists():
        shutil.rmtree(tmp_out) if tmp_out.is_dir() else tmp_out.unlink()
    periods_list, months = periods_sql(n_periods, seed)
    pb, plan = plan_files(fmt, rows, files, n_periods, tmp_out, months)
    if files > 1 or fmt == "cur1-athena-parquet":
        tmp_out.mkdir(parents=True)
    else:
        tmp_out.parent.mkdir(parents=True, exist_ok=True)

    cat = Catalogue(seed)
    td_ids = tempfile.TemporaryDirectory(prefix="gen_cur_ids_", dir=tmp_out.parent)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads={int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order=true")
    # DuckDB rewrites long IN lists into a MARK join, which does not keep row order; row order is
    # output order here (determinism), so that rewrite is switched off.
    con.execute("SET disabled_optimizers = 'in_clause'")
    with tempfile.TemporaryDirectory(prefix="gen_cur_") as td:
        load_catalogue(con, cat, Path(td), fmt)
    con.execute("CREATE TEMP TABLE per (p INTEGER, start TIMESTAMP, \"end\" TIMESTAMP, hours INTEGER, inv VARCHAR)")
    con.execute(f"INSERT INTO per VALUES {periods_list}")
    for c in PER_COLS:
        con.execute(f'SET VARIABLE per_{c} = (SELECT list("{c}" ORDER BY p) FROM per)')
    con.execute(f"SET VARIABLE spfee_idx = {cat.spfee_idx}")
    con.execute(f"SET VARIABLE support_idx = {cat.support_idx}")
    # Row numbers come from a small Parquet file with 8192-row row groups: the scan is parallel,
    # keeps row order (row order is output order), and each row group is one batch of the ordered
    # COPY. With a table's 122,880-row row groups the ordered CSV writer buffers whole batches of
    # ~150 MB of text each and the generator grows to several GB.
    ids_file = Path(td_ids.name) / "ids.parquet"
    con.execute(f"COPY (SELECT range AS i FROM range({rows})) TO '{ids_file}' (FORMAT parquet, ROW_GROUP_SIZE 8192)")
    con.execute(f"CREATE TEMP VIEW ids AS SELECT i FROM read_parquet('{ids_file}')")

    canon = canonical_sql(seed, pb)
    if fmt == "cur1-csv-gz":
        sel = select_cur1_csv()
        opts = "FORMAT csv, HEADER true, COMPRESSION gzip"
        n_ts = 0
    elif fmt == "cur1-athena-parquet":
        sel = select_athena()
        opts = "FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880"
        n_ts = 0
    else:
        sel, n_ts = select_cur2()
        opts = "FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880"
    for lo, hi, path in plan:
        path.parent.mkdir(parents=True, exist_ok=True)
        q = f"COPY (SELECT\n  {sel}\nFROM ({canon}) r WHERE i >= {lo} AND i < {hi}) TO '{path}' ({opts})"
        con.execute(q)
        if fmt == "cur2-parquet":
            patch_utc(path, n_ts)
        if not quiet:
            print(f"  wrote {path.relative_to(tmp_out.parent)} rows {lo}..{hi - 1}", file=sys.stderr)
    con.close()
    td_ids.cleanup()
    if out.exists():
        shutil.rmtree(out) if out.is_dir() else out.unlink()
    os.replace(tmp_out, out)
    size = sum(p.stat().st_size for p in ([out] if out.is_file() else out.rglob("*")) if p.is_file())
    info = dict(rows=rows, format=fmt, out=str(out), files=len(plan), periods=n_periods, seed=seed,
                bytes=size, seconds=round(time.time() - t_start, 1),
                columns=len(cur1_columns()) if fmt != "cur2-parquet" else len(cur_columns()))
    return info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--format", required=True, choices=FORMATS)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--files", type=int, default=1)
    ap.add_argument("--periods", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads for generation (default: all)")
    ap.add_argument("--memory-limit", default="1GB",
                    help="DuckDB memory_limit (default 1GB: the ordered COPY otherwise buffers most of its output)")
    args = ap.parse_args(argv)
    info = generate(args.rows, args.format, args.out, args.seed, args.files, args.periods, args.threads,
                    memory_limit=args.memory_limit)
    print(" ".join(f"{k}={v}" for k, v in info.items()))


if __name__ == "__main__":
    main()
